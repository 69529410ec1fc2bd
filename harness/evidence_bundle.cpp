#include "harness/evidence_bundle.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <time.h>

#include <array>
#include <chrono>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "common/error.h"

namespace uiw::harness {

namespace fs = std::filesystem;

namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

MdCtx new_sha256() {
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw Error(ErrorKind::kInternal, "OpenSSL cannot initialise SHA-256");
  return ctx;
}

std::string to_hex(const unsigned char* digest, unsigned int size) {
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

std::string finish_hex(EVP_MD_CTX* ctx) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx, digest.data(), &size) != 1)
    throw Error(ErrorKind::kInternal, "OpenSSL cannot finish SHA-256");
  return to_hex(digest.data(), size);
}

void update(EVP_MD_CTX* ctx, std::string_view bytes) {
  if (EVP_DigestUpdate(ctx, bytes.data(), bytes.size()) != 1)
    throw Error(ErrorKind::kInternal, "OpenSSL cannot hash");
}

// App strings are not always valid UTF-8; evidence must still be written, with U+FFFD in place.
std::string dump(const nlohmann::json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void write_file_atomically(const fs::path& target, std::string_view bytes) {
  fs::path temp = target;
  temp += std::string(kTempSuffix);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw Error(ErrorKind::kIo, fmt::format("cannot write {}", temp.string()));
  }
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec)
    throw Error(ErrorKind::kIo, fmt::format("cannot rename {} to {}: {}", temp.string(),
                                            target.string(), ec.message()));
}

namespace {

bool is_valid_kind(std::string_view kind) {
  for (std::string_view k : {"frame", "tree", "annotated", "logcat", "other"})
    if (kind == k) return true;
  return false;
}

// The path as the manifest lists it ("frames/001.png"), or a kUsage error when it would leave the
// bundle or collide with the files the bundle manages itself.
std::string checked_relative_path(const std::string& relative_path) {
  const fs::path p(relative_path);
  auto fail = [&](std::string_view why) {
    return Error(ErrorKind::kUsage, fmt::format("evidence file \"{}\": {}", relative_path, why));
  };
  if (relative_path.empty() || !p.is_relative() || p.has_root_name() || p.has_root_directory())
    throw fail("must be a relative path inside the bundle");
  for (const fs::path& part : p)
    if (part == ".." || part == "." || part.empty()) throw fail("must not contain . or ..");
  if (!p.has_filename()) throw fail("names a directory");
  const std::string generic = p.generic_string();
  if (generic == kManifestFile || generic == kStepsFile || generic == kFindingsFile)
    throw fail("is reserved for the bundle itself");
  if (generic.ends_with(kTempSuffix)) throw fail("ends with the temp-file suffix");
  return generic;
}

// One line of the manifest's file list.
std::string listed_file(std::string_view path, std::string_view sha256, std::uintmax_t bytes,
                        std::string_view kind) {
  return dump({{"path", path}, {"sha256", sha256}, {"bytes", bytes}, {"kind", kind}});
}

}  // namespace

struct EvidenceBundle::State {
  fs::path dir;
  BundleInfo info;
  // The manifest is rewritten after every file, so its list is kept as the text it is written
  // as, built once per file: the added files' lines joined (they never change, and a 10,000-step
  // bundle has 20,000), then the two files the bundle rewrites itself.
  std::string added_files;
  std::string steps_listed;
  std::string findings_listed;
  std::vector<detectors::Finding> findings;
  MdCtx steps_hash;  // running SHA-256 of steps.jsonl, so an append does not rehash the file
  std::uintmax_t steps_bytes = 0;
  std::string ended;
  std::string outcome;
  std::string error;
  bool finished = false;
  std::mutex mutex;  // a pop-up watcher may add frames while the step thread appends

  void check_open(std::string_view what) const {
    if (finished)
      throw Error(ErrorKind::kUsage,
                  fmt::format("{}: bundle {} is already finished", what, dir.string()));
  }

  void write_manifest() const {
    auto or_null = [](const std::string& s) {
      return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
    };
    const nlohmann::json manifest = {
        {"format", kBundleFormat},
        {"tool", {{"name", "uiwitness"}, {"version", info.tool_version}}},
        {"scenario", {{"name", info.scenario_name}, {"file", info.scenario_file}}},
        {"device",
         {{"serial", info.device_serial},
          {"model", info.device_model},
          {"sdk", info.device_sdk},
          {"release", info.device_release}}},
        {"app", {{"package", info.app_package}, {"version", info.app_version}}},
        {"attempt", info.attempt},
        {"retry_of", info.retry_of},
        {"started", info.started},
        {"ended", or_null(ended)},
        {"outcome", or_null(outcome)},
        {"error", or_null(error)}};
    // The file list is spliced in as text, one entry per line, from each entry's kept line.
    std::string text = dump(manifest, 2);
    text.resize(text.rfind('}'));  // reopen the object
    while (!text.empty() && text.back() == '\n') text.pop_back();
    text.reserve(text.size() + added_files.size() + steps_listed.size() + findings_listed.size() +
                 64);
    text += ",\n  \"files\": [";
    const char* separator = "\n    ";
    for (const std::string* listed : {&added_files, &steps_listed, &findings_listed}) {
      if (listed->empty()) continue;
      text += separator;
      text += *listed;
      separator = ",\n    ";
    }
    text += *separator == ',' ? "\n  ]\n}\n" : "]\n}\n";
    write_file_atomically(dir / kManifestFile, text);
  }
};

EvidenceBundle::EvidenceBundle(std::unique_ptr<State> state) : state_(std::move(state)) {}
EvidenceBundle::EvidenceBundle(EvidenceBundle&&) noexcept = default;
EvidenceBundle& EvidenceBundle::operator=(EvidenceBundle&&) noexcept = default;
EvidenceBundle::~EvidenceBundle() = default;

EvidenceBundle EvidenceBundle::create(const fs::path& dir, const BundleInfo& info) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec))
      throw Error(ErrorKind::kIo,
                  fmt::format("evidence bundle {} exists and is not a directory", dir.string()));
    if (!fs::is_empty(dir, ec))
      throw Error(ErrorKind::kIo,
                  fmt::format("evidence bundle {} is not empty: evidence is never overwritten; "
                              "choose a new output directory",
                              dir.string()));
  }
  fs::create_directories(dir, ec);
  if (ec)
    throw Error(ErrorKind::kIo,
                fmt::format("cannot create evidence bundle {}: {}", dir.string(), ec.message()));
  auto state = std::make_unique<State>();
  state->dir = dir;
  state->info = info;
  state->steps_hash = new_sha256();
  state->write_manifest();
  return EvidenceBundle(std::move(state));
}

std::string EvidenceBundle::add_file(const std::string& relative_path, std::string_view bytes,
                                     std::string_view kind) {
  const std::string path = checked_relative_path(relative_path);
  if (!is_valid_kind(kind))
    throw Error(ErrorKind::kUsage,
                fmt::format("evidence file {}: kind \"{}\" is not frame, tree, annotated, logcat "
                            "or other",
                            path, kind));
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  s.check_open(path);
  const fs::path target = s.dir / path;
  // Evidence files are never removed, so one that was added is on disk.
  std::error_code ec;
  if (fs::exists(target, ec))
    throw Error(ErrorKind::kUsage,
                fmt::format("evidence file {} already exists in {}; evidence is never replaced",
                            path, s.dir.string()));
  fs::create_directories(target.parent_path(), ec);
  if (ec)
    throw Error(ErrorKind::kIo,
                fmt::format("cannot create {}: {}", target.parent_path().string(), ec.message()));
  write_file_atomically(target, bytes);
  if (!s.added_files.empty()) s.added_files += ",\n    ";
  s.added_files += listed_file(path, sha256_hex(bytes), bytes.size(), kind);
  s.write_manifest();
  return path;
}

std::string EvidenceBundle::add_image(const std::string& relative_path, const cv::Mat& image,
                                      std::string_view kind) {
  std::vector<unsigned char> png;
  if (image.empty() || !cv::imencode(".png", image, png))
    throw Error(ErrorKind::kInternal,
                fmt::format("cannot encode evidence image {} as PNG", relative_path));
  return add_file(relative_path,
                  std::string_view(reinterpret_cast<const char*>(png.data()), png.size()), kind);
}

void EvidenceBundle::append_step(const nlohmann::json& step_record) {
  const std::string line = dump(step_record) + "\n";
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  s.check_open(kStepsFile);
  const fs::path file = s.dir / kStepsFile;
  {
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    out.flush();
    if (!out) throw Error(ErrorKind::kIo, fmt::format("cannot append to {}", file.string()));
  }
  update(s.steps_hash.get(), line);
  s.steps_bytes += line.size();
  MdCtx snapshot(EVP_MD_CTX_new());
  if (!snapshot || EVP_MD_CTX_copy_ex(snapshot.get(), s.steps_hash.get()) != 1)
    throw Error(ErrorKind::kInternal, "OpenSSL cannot copy a SHA-256 context");
  s.steps_listed = listed_file(kStepsFile, finish_hex(snapshot.get()), s.steps_bytes, "steps");
  s.write_manifest();
}

void EvidenceBundle::add_findings(const std::vector<detectors::Finding>& findings) {
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  s.check_open(kFindingsFile);
  s.findings.insert(s.findings.end(), findings.begin(), findings.end());
  const std::string bytes = dump(detectors::to_json(s.findings), 2) + "\n";
  write_file_atomically(s.dir / kFindingsFile, bytes);
  s.findings_listed = listed_file(kFindingsFile, sha256_hex(bytes), bytes.size(), "findings");
  s.write_manifest();
}

void EvidenceBundle::finish(std::string_view outcome, std::string_view error) {
  if (outcome != "passed" && outcome != "failed" && outcome != "error")
    throw Error(ErrorKind::kUsage,
                fmt::format("bundle outcome \"{}\" is not passed, failed or error", outcome));
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  s.check_open("finish");
  s.outcome = outcome;
  s.error = error;
  s.ended = iso8601_utc_now();
  s.finished = true;
  s.write_manifest();
}

const fs::path& EvidenceBundle::dir() const {
  return state_->dir;
}

const std::vector<detectors::Finding>& EvidenceBundle::findings() const {
  return state_->findings;
}

std::string sha256_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("cannot read {}", file.string()));
  MdCtx ctx = new_sha256();
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    update(ctx.get(), std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) throw Error(ErrorKind::kIo, fmt::format("error reading {}", file.string()));
  return finish_hex(ctx.get());
}

std::string sha256_hex(std::string_view bytes) {
  MdCtx ctx = new_sha256();
  update(ctx.get(), bytes);
  return finish_hex(ctx.get());
}

std::string iso8601_utc_now() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t secs = system_clock::to_time_t(now);
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

}  // namespace uiw::harness
