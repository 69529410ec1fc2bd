#include "simdevice/synth/synth_set_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "common/error.h"
#include "simdevice/synth/coco_writer.h"

namespace uiw::sim::synth {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const void* data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) throw Error(ErrorKind::kIo, fmt::format("cannot write {}", path.string()));
}

// What the COCO file needs of a screen once its files are written.
struct WrittenScreen {
  std::string file_name;
  int width = 0;
  int height = 0;
  bool recording = false;
  bool jpeg = false;
  std::string_view kind;
  std::vector<Annotation> annotations;
};

WrittenScreen write_screen(const SynthScreen& screen, const fs::path& images) {
  const std::string file = screen.name + "." + screen.extension;
  write_file(images / file, screen.encoded.data(), screen.encoded.size());
  write_file(images / (screen.name + ".xml"), screen.dump_xml.data(), screen.dump_xml.size());
  return WrittenScreen{"images/" + file,          screen.width, screen.height,     screen.recording,
                       screen.extension == "jpg", screen.kind,  screen.annotations};
}

// A previous set in the same folder (another count, another JPEG share) would leave screens
// the new labels do not list, or a .png beside the new .jpg: our own files go first.
void remove_previous_screens(const fs::path& images) {
  for (const auto& entry : fs::directory_iterator(images)) {
    const std::string name = entry.path().filename().string();
    const std::string ext = entry.path().extension().string();
    const bool ours =
        name.rfind("screen_", 0) == 0 && (ext == ".png" || ext == ".jpg" || ext == ".xml");
    if (ours && entry.is_regular_file()) fs::remove(entry.path());
  }
}

}  // namespace

SynthSetSummary write_synth_set(const SynthSetOptions& options, const ScreenRenderer& renderer,
                                const std::function<void(int)>& progress) {
  const fs::path images = options.out / "images";
  std::error_code ec;
  fs::create_directories(images, ec);
  if (ec) {
    throw Error(ErrorKind::kIo, fmt::format("cannot create {}: {}", images.string(), ec.message()));
  }
  remove_previous_screens(images);
  const ScreenSynthesizer synthesizer(renderer, options.seed, options.shares);
  std::vector<WrittenScreen> written(static_cast<size_t>(std::max(0, options.count)));
  std::atomic<int> next{0};
  std::mutex progress_mutex;
  int done = 0;
  std::exception_ptr failure;
  const auto work = [&] {
    for (int i = next++; i < options.count; i = next++) {
      try {
        written[static_cast<size_t>(i)] = write_screen(synthesizer.make(i), images);
      } catch (...) {
        std::lock_guard lock(progress_mutex);
        if (!failure) failure = std::current_exception();
        next = options.count;  // stop the other threads early
        return;
      }
      std::lock_guard lock(progress_mutex);
      ++done;
      if (progress) progress(done);
    }
  };
  const int jobs = std::clamp(
      options.jobs > 0 ? options.jobs : static_cast<int>(std::thread::hardware_concurrency()), 1,
      std::max(1, options.count));
  std::vector<std::thread> threads;
  for (int t = 1; t < jobs; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);

  CocoWriter coco;
  SynthSetSummary summary;
  for (const WrittenScreen& w : written) {
    coco.add_image(w.file_name, w.width, w.height, w.kind, w.recording, w.annotations);
    ++summary.images;
    summary.recordings += w.recording ? 1 : 0;
    summary.jpegs += w.jpeg ? 1 : 0;
    ++summary.kind_counts[std::string(w.kind)];
  }
  coco.write(options.out / "labels.coco.json");
  summary.category_counts = coco.category_counts();
  return summary;
}

}  // namespace uiw::sim::synth
