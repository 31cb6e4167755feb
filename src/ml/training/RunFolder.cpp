#include "ml/training/RunFolder.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/FileIO.h"
#include "ml/weights/WeightsReader.h"
#include "ml/weights/WeightsWriter.h"

namespace toccata::ml {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPartial = ".partial";
constexpr const char* kTrainerState = "trainer_state.json";
constexpr const char* kOptimizerFolder = "optimizer";

/// Makes a rename inside `folder` durable.
void syncFolder(const fs::path& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

std::optional<int64_t> stepOfName(const std::string& name) {
    if (name.rfind("step-", 0) != 0 || name.size() <= 5) return std::nullopt;
    const std::string digits = name.substr(5);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return std::stoll(digits);
}

NamedTensors tensorsOf(const WeightStore& store) {
    NamedTensors out;
    for (const auto& [name, tensor] : store.tensors()) out.emplace_back(name, tensor);
    return out;
}

core::Status writeModelFiles(const fs::path& folder, const core::JsonValue& modelJson,
                             const NamedTensors& weights) {
    if (core::Status s = writeTfjsWeights(folder.string(), weights); !s) return s;
    return core::writeFileAtomic((folder / "model.json").string(), modelJson.dump(2) + "\n");
}

}  // namespace

std::string RunFolder::checkpointsFolder() const { return (fs::path(m_root) / "checkpoints").string(); }
std::string RunFolder::modelFolder() const { return (fs::path(m_root) / "model").string(); }
std::string RunFolder::metricsJsonl() const { return (fs::path(m_root) / "metrics.jsonl").string(); }
std::string RunFolder::metricsCsv() const { return (fs::path(m_root) / "metrics.csv").string(); }
std::string RunFolder::runJson() const { return (fs::path(m_root) / "run.json").string(); }

std::string RunFolder::checkpointName(int64_t step) {
    char name[32];
    std::snprintf(name, sizeof name, "step-%06lld", static_cast<long long>(step));
    return name;
}

core::Status RunFolder::prepare() const {
    std::error_code ec;
    fs::create_directories(checkpointsFolder(), ec);
    if (ec) return core::Status::failure(m_root + ": cannot create the run folder: " + ec.message());
    for (const auto& entry : fs::directory_iterator(checkpointsFolder(), ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() > 8 && name.compare(name.size() - 8, 8, kPartial) == 0)
            fs::remove_all(entry.path(), ec);
    }
    return {};
}

core::Result<std::string> RunFolder::writeCheckpoint(int64_t step,
                                                     const CheckpointFiles& files) const {
    const fs::path final = fs::path(checkpointsFolder()) / checkpointName(step);
    const fs::path partial = final.string() + kPartial;
    std::error_code ec;
    fs::remove_all(partial, ec);
    fs::create_directories(partial / kOptimizerFolder, ec);
    if (ec) return core::Error{partial.string() + ": cannot create: " + ec.message()};
    if (core::Status s = writeModelFiles(partial, files.modelJson, files.weights); !s) return s.error();
    if (core::Status s = writeTfjsWeights((partial / kOptimizerFolder).string(), files.optimizer); !s)
        return s.error();
    if (core::Status s = core::writeFileAtomic((partial / kTrainerState).string(),
                                               files.trainerState.dump(2) + "\n");
        !s)
        return s.error();
    syncFolder(partial);
    fs::remove_all(final, ec);
    fs::rename(partial, final, ec);
    if (ec) return core::Error{final.string() + ": cannot complete the checkpoint: " + ec.message()};
    syncFolder(checkpointsFolder());
    return final.string();
}

std::vector<int64_t> RunFolder::checkpointSteps() const {
    std::vector<int64_t> steps;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(checkpointsFolder(), ec)) {
        const auto step = stepOfName(entry.path().filename().string());
        if (step && fs::exists(entry.path() / kTrainerState, ec)) steps.push_back(*step);
    }
    std::sort(steps.begin(), steps.end());
    return steps;
}

core::Result<std::optional<LoadedCheckpoint>> RunFolder::loadLatest() const {
    const std::vector<int64_t> steps = checkpointSteps();
    if (steps.empty()) return std::optional<LoadedCheckpoint>();
    LoadedCheckpoint c;
    c.step = steps.back();
    c.folder = (fs::path(checkpointsFolder()) / checkpointName(c.step)).string();
    auto stateText = core::readFileBytes((fs::path(c.folder) / kTrainerState).string());
    if (!stateText) return stateText.error();
    auto state = core::JsonValue::parse(*stateText);
    if (!state) return core::Error{c.folder + "/" + kTrainerState + ": " + state.errorMessage()};
    c.trainerState = std::move(*state);
    auto weights = readTfjsWeights(c.folder, "weights_manifest.json");
    if (!weights) return weights.error();
    c.weights = tensorsOf(*weights);
    auto optimizer =
        readTfjsWeights((fs::path(c.folder) / kOptimizerFolder).string(), "weights_manifest.json");
    if (!optimizer) return optimizer.error();
    c.optimizer = tensorsOf(*optimizer);
    return std::optional<LoadedCheckpoint>(std::move(c));
}

void RunFolder::prune(int keep, int64_t protectStep) const {
    const std::vector<int64_t> steps = checkpointSteps();
    const size_t keepFrom = steps.size() > static_cast<size_t>(keep) ? steps.size() - keep : 0;
    std::error_code ec;
    for (size_t i = 0; i < keepFrom; ++i)
        if (steps[i] != protectStep)
            fs::remove_all(fs::path(checkpointsFolder()) / checkpointName(steps[i]), ec);
}

core::Result<std::string> RunFolder::exportModel(int64_t step,
                                                 const core::JsonValue& modelJson) const {
    const fs::path source = fs::path(checkpointsFolder()) / checkpointName(step);
    const fs::path target = modelFolder();
    const fs::path partial = target.string() + kPartial;
    std::error_code ec;
    fs::remove_all(partial, ec);
    fs::create_directories(partial, ec);
    if (ec) return core::Error{partial.string() + ": cannot create: " + ec.message()};
    for (const auto& entry : fs::directory_iterator(source, ec)) {
        if (!entry.is_regular_file()) continue;
        const std::string name = entry.path().filename().string();
        if (name == kTrainerState || name == "model.json") continue;
        fs::copy_file(entry.path(), partial / name, fs::copy_options::overwrite_existing, ec);
        if (ec) return core::Error{entry.path().string() + ": cannot copy: " + ec.message()};
    }
    if (core::Status s = core::writeFileAtomic((partial / "model.json").string(),
                                               modelJson.dump(2) + "\n");
        !s)
        return s.error();
    syncFolder(partial);
    // Swap in the new export: the old one is moved aside first, so a crash leaves one of them.
    const fs::path old = target.string() + ".old";
    fs::remove_all(old, ec);
    if (fs::exists(target, ec)) fs::rename(target, old, ec);
    fs::rename(partial, target, ec);
    if (ec) return core::Error{target.string() + ": cannot write the model: " + ec.message()};
    fs::remove_all(old, ec);
    syncFolder(m_root);
    return target.string();
}

void RunFolder::appendEvent(const core::JsonValue& event) const {
    std::ofstream out(metricsJsonl(), std::ios::app);
    out << event.dump() << "\n";
    out.flush();
}

void RunFolder::appendCsv(const std::string& row) const {
    const bool fresh = !fs::exists(metricsCsv());
    std::ofstream out(metricsCsv(), std::ios::app);
    if (fresh) out << "step,split,loss,perplexity,accuracy,learning_rate,examples_per_s\n";
    out << row << "\n";
    out.flush();
}

}  // namespace toccata::ml
