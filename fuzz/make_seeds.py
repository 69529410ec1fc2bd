#!/usr/bin/env python3
"""Writes the handcrafted binary seeds of the protocol fuzz targets into fixtures/fuzz/.

The text targets (UI XML, scenario and fixture YAML) take copies of real files instead; this
script covers the wire formats, where a valid message is easier to build than to record.
Run from the repository root: python3 fuzz/make_seeds.py
"""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "fuzz")


def write(target, name, data):
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    with open(os.path.join(ROOT, target, name), "wb") as f:
        f.write(data)


def le32(v):
    return struct.pack("<I", v)


def v2(packet_id, payload):
    return bytes([packet_id]) + le32(len(payload)) + payload


def hexlen(payload):
    return b"%04x" % len(payload) + payload


# shell v2: first byte = piece size the stream is fed in.
write("shell_v2_fuzzer", "out-err-exit", b"\x03" + v2(1, b"hello\n") + v2(2, b"oops\n") + v2(3, b"\x00"))
write("shell_v2_fuzzer", "exit-code-1", b"\x01" + v2(1, b"") + v2(5, b"24x80") + v2(3, b"\x01"))
write("shell_v2_fuzzer", "cut", b"\x07" + v2(1, b"partial output")[:9])

# host protocol: first byte = operation (0 status+payload, 1 payloads, 2 transport+stream,
# 3 FAIL message).
write("host_protocol_fuzzer", "okay", b"\x00OKAY" + hexlen(b"0029"))
write("host_protocol_fuzzer", "fail", b"\x00FAIL" + hexlen(b"device 'emulator-5556' not found"))
write("host_protocol_fuzzer", "devices", b"\x01" + hexlen(
    b"emulator-5554          device product:sdk_gphone64_x86_64 model:sdk transport_id:1\n")
      + hexlen(b"127.0.0.1:6001\toffline\n") + hexlen(b""))
write("host_protocol_fuzzer", "stream", b"\x02OKAYOKAY" + v2(1, b"hi\n") + v2(3, b"\x00"))
write("host_protocol_fuzzer", "transport-fail", b"\x02FAIL" + hexlen(b"device offline"))
write("host_protocol_fuzzer", "message", b"\x03more than one device/emulator")

# sync: first byte = request (0 STAT, 1 STA2, 2 LIST, 3 RECV, 4 SEND).
write("sync_fuzzer", "stat", b"\x00STAT" + le32(0o100644) + le32(1234) + le32(1700000000))
write("sync_fuzzer", "stat-missing", b"\x00STAT" + le32(0) * 3)
sta2 = b"STA2" + le32(0) + struct.pack("<QQIIIIQqqq", 0xFD00, 7, 0o100644, 1, 2000, 1015, 99,
                                      1700000000, 1700000000, 1700000000)
write("sync_fuzzer", "stat2", b"\x01" + sta2)
write("sync_fuzzer", "stat2-enoent", b"\x01STA2" + le32(2) + b"\x00" * 64)


def dent(mode, size, mtime, name):
    return b"DENT" + le32(mode) + le32(size) + le32(mtime) + le32(len(name)) + name


write("sync_fuzzer", "list", b"\x02" + dent(0o40755, 0, 1, b".") + dent(0o100644, 5, 1, b"a.xml")
      + dent(0o40755, 0, 1, b"DCIM") + b"DONE" + le32(0) * 4)
write("sync_fuzzer", "list-fail", b"\x02FAIL" + le32(12) + b"x" * 12)
write("sync_fuzzer", "pull", b"\x03DATA" + le32(5) + b"<?xml" + b"DATA" + le32(3) + b" />"
      + b"DONE" + le32(0))
write("sync_fuzzer", "pull-enoent", b"\x03FAIL" + le32(39) + b"open failed: No such file or directory")
write("sync_fuzzer", "push-okay", b"\x04OKAY" + le32(0))
write("sync_fuzzer", "push-fail", b"\x04FAIL" + le32(30) + b"couldn't create file: Read-only")

# device output: first byte = parser (0 dumpsys activities, 1 window/package, 2 logcat,
# 3 raw screencap).
write("device_output_fuzzer", "activities", b"\x00  Stack #1:\n    mResumedActivity: "
      b"ActivityRecord{5e2c1f0 u0 com.uiw.news/.MainActivity t12}\n    topResumedActivity="
      b"ActivityRecord{8a1 u0 com.android.chrome/com.google.android.apps.chrome.Main t40}\n")
write("device_output_fuzzer", "window", b"\x01  mCurrentFocus=Window{4f2a1b3 u0 com.pkg/com.pkg.Main}\n"
      b"  mCurrentFocus=Window{9d u0 Application Not Responding: com.pkg}\n"
      b"    versionCode=231 minSdk=21 targetSdk=34\n    versionName=2.3.1\n")
write("device_output_fuzzer", "logcat", b"\x02--------- beginning of main\n"
      b"06-01 12:00:01.123  1234  1250 I ActivityTaskManager: START u0 "
      b"{act=android.intent.action.VIEW dat=https://news.example/article/42 flg=0x10000000 "
      b"cmp=com.android.chrome/com.google.android.apps.chrome.Main} from uid 10123\n"
      b"06-01 12:00:02.000   555   555 I ActivityManager: START u0 "
      b"{act=android.intent.action.MAIN cat=[android.intent.category.LAUNCHER] "
      b"cmp=com.uiw.news/.MainActivity} from uid 2000\n")
write("device_output_fuzzer", "raw-rgba-16", b"\x03" + le32(2) + le32(1) + le32(1) + le32(0)
      + b"\xff\x00\x00\xff\x00\x00\xff\xff")
write("device_output_fuzzer", "raw-565-12", b"\x03" + le32(1) + le32(2) + le32(4) + b"\x1f\x00\xe0\x07")


# simulator transport: what an adb server sends to a device.
def msg(command, arg0, arg1, payload=b""):
    cmd = struct.unpack("<I", command)[0]
    return struct.pack("<6I", cmd, arg0, arg1, len(payload), sum(payload) & 0xFFFFFFFF,
                       cmd ^ 0xFFFFFFFF) + payload


cnxn = msg(b"CNXN", 0x01000001, 256 * 1024, b"host::features=shell_v2,cmd,stat_v2,ls_v2\0")
write("sim_transport_fuzzer", "shell-v2-cat", cnxn + msg(b"OPEN", 7, 0, b"shell,v2,TERM=xterm,raw:cat\0")
      + msg(b"WRTE", 7, 1, v2(0, b"typed\n") + v2(5, b"24x80,0x0") + v2(4, b""))
      + msg(b"OKAY", 7, 1) + msg(b"CLSE", 7, 1))
write("sim_transport_fuzzer", "shell-raw", cnxn + msg(b"OPEN", 3, 0, b"shell:echo hi\0")
      + msg(b"OKAY", 3, 1) + msg(b"OPEN", 4, 0, b"exec:screencap -p\0") + msg(b"CLSE", 4, 2))
write("sim_transport_fuzzer", "interactive", cnxn + msg(b"OPEN", 5, 0, b"shell,v2:\0")
      + msg(b"WRTE", 5, 1, v2(0, b"getprop ro.serialno\nexit\n")))
write("sim_transport_fuzzer", "abb", cnxn + msg(b"OPEN", 9, 0, b"abb_exec:package\0list\0packages\0"))


def sync_req(rid, payload):
    return rid + le32(len(payload)) + payload


sync_stream = (sync_req(b"STAT", b"/sdcard") + sync_req(b"STA2", b"/sdcard/x")
               + sync_req(b"LIST", b"/sdcard") + sync_req(b"LIS2", b"/")
               + sync_req(b"SEND", b"/sdcard/f.txt,33188") + b"DATA" + le32(5) + b"hello"
               + b"DONE" + le32(1700000000) + sync_req(b"RECV", b"/sdcard/f.txt")
               + sync_req(b"QUIT", b""))
write("sim_transport_fuzzer", "sync", cnxn + msg(b"OPEN", 11, 0, b"sync:\0")
      + msg(b"WRTE", 11, 1, sync_stream[:30]) + msg(b"WRTE", 11, 1, sync_stream[30:])
      + msg(b"OKAY", 11, 1))
write("sim_transport_fuzzer", "garbage-after-cnxn", cnxn + b"\x00" * 24)
