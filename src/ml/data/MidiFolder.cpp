#include "ml/data/MidiFolder.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

namespace toccata::ml {

namespace fs = std::filesystem;

namespace {

bool isMidiExtension(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".mid" || ext == ".midi" || ext == ".smf" || ext == ".kar";
}

}  // namespace

bool forEachInParallel(size_t count, int threads, const std::function<void(size_t)>& work,
                       const std::function<void(int64_t, int64_t)>& progress,
                       const std::atomic<bool>* stop) {
    std::atomic<size_t> next{0};
    std::atomic<int64_t> done{0};
    std::mutex progressMutex;
    auto worker = [&] {
        while (true) {
            if (stop != nullptr && stop->load()) return;
            const size_t i = next.fetch_add(1);
            if (i >= count) return;
            work(i);
            const int64_t n = done.fetch_add(1) + 1;
            if (progress) {
                std::lock_guard lock(progressMutex);
                progress(n, static_cast<int64_t>(count));
            }
        }
    };
    int n = threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency());
    n = std::clamp(n, 1, static_cast<int>(std::max<size_t>(1, count)));
    std::vector<std::thread> pool;
    for (int t = 1; t < n; ++t) pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool) t.join();
    return stop == nullptr || !stop->load();
}

uint64_t fnv1a64(std::string_view bytes, uint64_t seed) {
    uint64_t hash = seed;
    for (unsigned char c : bytes) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    return hash;
}

core::Result<std::vector<MidiFileEntry>> listMidiFiles(const std::string& folder) {
    using R = core::Result<std::vector<MidiFileEntry>>;
    std::error_code ec;
    const fs::file_status status = fs::status(folder, ec);
    if (ec || !fs::exists(status)) return R::failure(folder + ": no such folder");
    if (!fs::is_directory(status)) return R::failure(folder + ": is not a folder");

    std::vector<MidiFileEntry> files;
    const fs::path root(folder);
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) return R::failure(folder + ": cannot list the folder: " + ec.message());
    for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
        if (ec) break;
        const fs::path& path = it->path();
        const std::string name = path.filename().string();
        if (!name.empty() && name[0] == '.') {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec) || !isMidiExtension(path)) continue;
        MidiFileEntry entry;
        entry.path = path.string();
        entry.relativePath = fs::relative(path, root, ec).generic_string();
        if (ec) entry.relativePath = path.filename().string();
        entry.size = it->file_size(ec);
        const auto written = it->last_write_time(ec);
        entry.modifiedNs =
            ec ? 0
               : std::chrono::duration_cast<std::chrono::nanoseconds>(written.time_since_epoch())
                     .count();
        files.push_back(std::move(entry));
    }
    std::sort(files.begin(), files.end(), [](const MidiFileEntry& a, const MidiFileEntry& b) {
        return a.relativePath < b.relativePath;
    });
    return files;
}

uint64_t midiFilesFingerprint(const std::vector<MidiFileEntry>& files) {
    uint64_t hash = fnv1a64("toccata-midi-files");
    for (const MidiFileEntry& f : files) {
        hash = fnv1a64(f.relativePath, hash);
        const std::string meta = "|" + std::to_string(f.size) + "|" + std::to_string(f.modifiedNs);
        hash = fnv1a64(meta, hash);
    }
    return hash;
}

}  // namespace toccata::ml
