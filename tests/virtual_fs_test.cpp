// The simulated file system that push, pull, cat, ls and screencap FILE share.
#include "simdevice/virtual_fs.h"

#include <gtest/gtest.h>

#include <thread>

namespace {

using uiw::sim::VirtualFs;

TEST(VirtualFsTest, NormalizesPathsAsAPhoneWould) {
  EXPECT_EQ(VirtualFs::normalize("/a/b/../c/"), "/a/c");
  EXPECT_EQ(VirtualFs::normalize("a//b/./c"), "/a/b/c");
  EXPECT_EQ(VirtualFs::normalize("/../.."), "/");
  EXPECT_EQ(VirtualFs::normalize(""), "/");
}

TEST(VirtualFsTest, StartsWithAndroidFolders) {
  VirtualFs fs;
  for (const char* dir : {"/sdcard", "/data/local/tmp", "/system/bin"}) {
    ASSERT_TRUE(fs.stat(dir)) << dir;
    EXPECT_TRUE(fs.stat(dir)->is_dir()) << dir;
  }
}

TEST(VirtualFsTest, WriteCreatesParentsAndReadReturnsTheBytes) {
  VirtualFs fs;
  std::string binary("a\0b\xff", 4);
  ASSERT_TRUE(fs.write("/sdcard/new/dir/file.bin", binary, 0100600, 1700000000));
  const auto st = fs.stat("/sdcard/new/dir/file.bin");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->size, 4u);
  EXPECT_EQ(st->mtime, 1700000000);
  EXPECT_EQ(st->mode, 0100600u);
  EXPECT_FALSE(st->is_dir());
  EXPECT_EQ(*fs.read("/sdcard/new/dir/file.bin"), binary);
  EXPECT_TRUE(fs.stat("/sdcard/new/dir")->is_dir());
  EXPECT_EQ(fs.read("/sdcard/new"), nullptr);                     // a directory
  EXPECT_EQ(fs.read("/sdcard/none"), nullptr);                    // missing
  EXPECT_FALSE(fs.write("/sdcard/new", "x"));                     // cannot replace a directory
  EXPECT_FALSE(fs.write("/sdcard/new/dir/file.bin/under", "x"));  // parent is a file
}

TEST(VirtualFsTest, SharedStorageAliasesReachTheSameFiles) {
  VirtualFs fs;
  fs.write("/storage/emulated/0/Download/a.txt", "A");
  EXPECT_EQ(*fs.read("/sdcard/Download/a.txt"), "A");
  EXPECT_TRUE(fs.stat("/storage/self/primary/Download/a.txt"));
}

TEST(VirtualFsTest, ListIsSortedAndOnlyDirectChildren) {
  VirtualFs fs;
  fs.mkdirs("/data/local/tmp/x");
  fs.write("/data/local/tmp/b.txt", "b");
  fs.write("/data/local/tmp/a.txt", "a");
  fs.write("/data/local/tmp/x/deep.txt", "deep");
  const auto entries = fs.list("/data/local/tmp");
  ASSERT_TRUE(entries);
  std::vector<std::string> names;
  for (const auto& e : *entries) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a.txt", "b.txt", "x"}));
  EXPECT_FALSE(fs.list("/data/local/tmp/a.txt"));
  EXPECT_FALSE(fs.list("/missing"));
}

TEST(VirtualFsTest, RemoveFilesAndTrees) {
  VirtualFs fs;
  fs.write("/sdcard/t/one", "1");
  fs.write("/sdcard/t/sub/two", "2");
  fs.write("/sdcard/tt", "sibling with a common prefix");
  EXPECT_FALSE(fs.remove("/sdcard/t"));  // not empty, not recursive
  EXPECT_TRUE(fs.remove("/sdcard/t/one"));
  EXPECT_FALSE(fs.remove("/sdcard/t/one"));
  EXPECT_TRUE(fs.remove("/sdcard/t", true));
  EXPECT_FALSE(fs.stat("/sdcard/t/sub/two"));
  EXPECT_TRUE(fs.stat("/sdcard/tt"));
  EXPECT_FALSE(fs.remove("/"));
}

TEST(VirtualFsTest, OverwriteKeepsInodeAndReadersKeepTheirSnapshot) {
  VirtualFs fs;
  fs.write("/sdcard/f", "old");
  const auto ino = fs.stat("/sdcard/f")->ino;
  const auto snapshot = fs.read("/sdcard/f");
  fs.write("/sdcard/f", "new contents");
  EXPECT_EQ(*snapshot, "old");
  EXPECT_EQ(*fs.read("/sdcard/f"), "new contents");
  EXPECT_EQ(fs.stat("/sdcard/f")->ino, ino);
}

TEST(VirtualFsTest, ConcurrentWritersAndReadersDoNotCorruptIt) {
  VirtualFs fs;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&fs, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string path = "/sdcard/t" + std::to_string(t) + "/f" + std::to_string(i);
        fs.write(path, std::string(static_cast<size_t>(i), 'x'));
        fs.list("/sdcard");
        EXPECT_EQ(fs.read(path)->size(), static_cast<size_t>(i));
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(fs.list("/sdcard/t" + std::to_string(t))->size(), 200u);
}

}  // namespace
