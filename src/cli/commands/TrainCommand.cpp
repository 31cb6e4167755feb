// toccata-cli train: train a model on a folder of MIDI files (Magenta's *_create_dataset +
// *_train in one command), on one process, several on this host (--nproc) or several hosts
// (--nnodes/--node-rank/--master-addr/--master-port), data-parallel through c10d/Gloo.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/ArgParser.h"
#include "cli/Command.h"
#include "cli/CommandSupport.h"
#include "cli/commands/TrainingArgs.h"
#include "core/FileIO.h"
#include "core/Json.h"
#include "ml/data/PerformanceDataset.h"
#include "ml/data/PianoGenieDataset.h"
#include "ml/data/VaeDataset.h"
#include "ml/models/music_transformer/MusicTransformerTrainer.h"
#include "ml/models/performance_rnn/PerformanceRnnConfig.h"
#include "ml/training/DistributedGroup.h"
#include "ml/training/PerformanceRnnTrainer.h"
#include "ml/training/PianoGenieTrainer.h"
#include "ml/training/PolyphonyRnnTrainer.h"
#include "ml/training/RnnTrainer.h"
#include "ml/training/VaeTrainer.h"

namespace toccata::cli {
namespace {

namespace fs = std::filesystem;
constexpr const char* kName = "train";

int fail(int code, const std::string& message) { return commandFailure(kName, code, message); }
int runTrain(const std::vector<std::string>& args);

std::atomic<bool> g_stop{false};
std::vector<pid_t> g_children;

void onStopSignal(int) {
    g_stop.store(true);
    for (pid_t child : g_children) ::kill(child, SIGTERM);
}

void installStopHandlers() {
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
}

}  // namespace

extern const Command kTrainCommand = {
    kName,
    "train a model on a folder of MIDI files",
    R"(usage: toccata-cli train --config C --data DIR --out RUN_DIR [--family music_rnn]
                         [--steps N] [--hparams k=v,...] [--resume] [--eval-ratio R]
                         [--extra-data DIRS] [--transpose A:B] [--progress bar|json|plain]
                         [--nproc N] [--nnodes M --node-rank K --master-addr H --master-port P]

Reads every MIDI file under DIR through the config's data pipeline (Magenta's: split at
tempo/time-signature changes, quantize, extract melodies or drum tracks, chords for improv
configs), holds out files for evaluation, and trains. Writes into RUN_DIR: metrics.jsonl and
metrics.csv, checkpoints/step-N (last K kept, plus the best eval one), and model/ — the
exported model (best eval checkpoint), usable with 'generate --model RUN_DIR/model'.
Ctrl-C or SIGTERM stops after the current step with a checkpoint; --resume continues exactly.

what to train:
  --family F        music_rnn (Melody RNN, Drums RNN, Improv RNN; the default),
                    music_vae (MusicVAE, GrooVAE; chosen by default for their configs),
                    piano_genie (chosen by --config piano_genie), performance_rnn
                    (Performance RNN; chosen by default for its configs) or
                    music_transformer (chosen by --config music_transformer)
  --config C        music_rnn: attention_rnn, lookback_rnn, basic_rnn, mono_rnn, drum_kit,
                    one_drum, chord_pitches_improv, basic_improv
                    music_vae: cat-mel_2bar_small, cat-drums_2bar_small,
                    groovae_2bar_humanize, groovae_2bar_tap_fixed_velocity (tap2drum),
                    groovae_2bar_add_closed_hh (adds a hi-hat)
                    piano_genie: piano_genie (the PyTorch tutorial's model: 8 buttons ->
                    88 keys, encoder + decoder trained together on piano performances)
                    performance_rnn: performance, performance_with_dynamics,
                    density_conditioned_performance_with_dynamics,
                    pitch_conditioned_performance_with_dynamics,
                    multiconditioned_performance_with_dynamics,
                    optional_multiconditioned_performance_with_dynamics
                    music_transformer: music_transformer (relative attention over the
                    388 performance events)
  --data DIR        folder of .mid files (recursive). Improv configs: chord-symbol
                    annotations, or DIR/melody + DIR/chords with the same file names
  --steps N         train until global step N (default 2000)
  --hparams k=v,..  Magenta's names. music_rnn: batch_size, rnn_layer_sizes=[128,128],
                    attn_length, dropout_keep_prob, clip_norm, learning_rate, decay_rate,
                    decay_steps, max_steps; music_vae: z_size, enc_rnn_size=[512],
                    dec_rnn_size=[256,256], free_bits, max_beta, beta_rate,
                    dropout_keep_prob, sampling_schedule (constant|inverse_sigmoid),
                    sampling_rate, transpose_range, batch_size, learning_rate, decay_rate,
                    min_learning_rate, grad_clip, grad_norm_clip_to_zero;
                    piano_genie (the tutorial's cfg.json names): batch_size, seq_len, lr,
                    model_rnn_dim, model_rnn_num_layers, loss_margin_multiplier,
                    loss_contour_multiplier, data_delta_time_max,
                    data_augment_time_stretch_max, data_augment_transpose_max, clip_norm;
                    performance_rnn: rnn_layer_sizes (default [256,256,256]; Magenta's
                    [512,512,512]), batch_size, dropout_keep_prob, clip_norm,
                    learning_rate, decay_rate, decay_steps, window_events (512),
                    transpose_max (3), time_stretch (1: x0.95..1.05, 0: off),
                    eval_max_windows (200);
                    music_transformer: num_layers (6), d_model (256), num_heads (8),
                    ff_size (1024), max_relative_distance (512), window_events (512),
                    transpose_max (3), dropout (0.1), batch_size (8), lr (2e-4),
                    warmup_steps (500), clip_norm (1), eval_windows (64);
                    all:
                    eval_every, checkpoint_every, checkpoint_minutes, keep_checkpoints,
                    early_stopping_patience, log_every, seed
  --resume          continue RUN_DIR from its newest checkpoint (settings from run.json)

data (music_vae cuts 2-bar windows: melodies and drums on every bar line, grooves one
after another; only 4/4 music; piano_genie reads every note of A0..C8 of each file and
trains on random windows of seq_len notes, scored on the held-out files' fixed windows):
  --extra-data DIRS performance_rnn, music_transformer: more folders read with DIR
                    (':'-separated, e.g. ASAP + POP909)
  --eval-ratio R    share of files held out (default 0.1; split by a hash of the file name)
  --transpose A:B   music_rnn: training copies shifted by A..B semitones (or a list "0,12,-12")
                    (default: -5:6 for the improv configs, which learn every key; none
                    for melody configs, which move every melody to C)
  --min-bars N      shortest melody / drum track kept (default 7)
  --threads N       threads for reading files (default: all cores)
  --no-cache        rebuild the dataset instead of using ~/.cache/toccata/datasets

provenance (recorded in the exported model.json):
  --id ID --description TEXT --corpus TEXT --data-license TEXT --weights-license TEXT

output:
  --progress MODE   bar (default on a terminal), plain (one line per log step) or json
                    (one JSON event per line on stdout: dataset, start, train, eval,
                    checkpoint, done, error)

distributed (PyTorch c10d with Gloo; each process takes batch_size examples of every
global batch, gradients are summed):
  --nproc N         processes on this host (default 1)
  --nnodes M        hosts in all (default 1); then also --node-rank K (0 on the master),
  --master-addr H   the master's address (default 127.0.0.1), --master-port P (default 29500)
)",
    runTrain,
};

namespace {

/// The family's own numbers for a progress line: perplexity (event RNNs, categorical VAEs),
/// KL in bits (VAEs), the reconstruction from mu (held-out VAE evaluations).
std::string extras(const core::JsonValue& e) {
    std::string out;
    char part[64];
    auto add = [&](const char* key, const char* format) {
        if (const core::JsonValue* v = e.find(key); v && v->isNumber()) {
            std::snprintf(part, sizeof part, format, v->asNumber());
            out += part;
        }
    };
    add("perplexity", "  ppl %.2f");
    add("kl_bits", "  KL %.1f bits");
    add("reconstruction_accuracy", "  recon %.3f");
    add("velocity_mae", "  vel err %.1f");
    add("offset_mae_ms", "  timing err %.1f ms");
    add("unigram_nll_per_event", "  unigram %.4f");
    add("bigram_nll_per_event", "  bigram %.4f");
    return out;
}

struct Progress {
    std::string mode;
    void operator()(const core::JsonValue& e) const {
        const std::string kind = e.find("event") ? e.find("event")->asString() : "";
        if (mode == "json") {
            std::cout << e.dump() << std::endl;
            return;
        }
        auto num = [&](const char* k) {
            const core::JsonValue* v = e.find(k);
            return v && v->isNumber() ? v->asNumber() : 0.0;
        };
        char line[512];
        if (kind == "train") {
            const double eta = num("eta_s");
            const int h = static_cast<int>(eta / 3600), m = static_cast<int>(eta / 60) % 60,
                      s = static_cast<int>(eta) % 60;
            const double done = num("step") / std::max(1.0, num("total_steps"));
            std::string bar(30, ' ');
            for (int i = 0; i < static_cast<int>(done * 30); ++i) bar[static_cast<size_t>(i)] = '#';
            std::snprintf(line, sizeof line,
                          "%s[%s] step %.0f/%.0f  loss %.4f%s  acc %.3f  %.1f ex/s  "
                          "ETA %d:%02d:%02d",
                          mode == "bar" ? "\r" : "", bar.c_str(), num("step"), num("total_steps"),
                          num("loss"), extras(e).c_str(), num("accuracy"), num("examples_per_s"), h,
                          m, s);
            std::cerr << line << (mode == "bar" ? "" : "\n") << std::flush;
        } else if (kind == "eval") {
            std::snprintf(line, sizeof line, "eval at step %.0f: loss %.4f%s  acc %.3f%s",
                          num("step"), num("loss"), extras(e).c_str(), num("accuracy"),
                          e.find("best") && e.find("best")->asBool() ? "  (best)" : "");
            std::cerr << (mode == "bar" ? "\n" : "") << line << "\n";
        } else if (kind == "checkpoint") {
            if (mode != "bar") std::cerr << "checkpoint " << e.find("path")->asString() << "\n";
        } else if (kind == "done") {
            std::cerr << (mode == "bar" ? "\n" : "") << "done (" << e.find("reason")->asString()
                      << ") at step " << static_cast<int64_t>(num("step"))
                      << "; model: " << e.find("model")->asString() << "\n";
        } else if (kind == "start" || kind == "resume") {
            std::cerr << (kind == "start" ? "training" : "resuming") << " from step "
                      << static_cast<int64_t>(num("step")) << " to "
                      << static_cast<int64_t>(num("total_steps")) << "\n";
        }
    }
};

int emitError(const std::string& mode, int code, const std::string& message) {
    if (mode == "json") {
        core::JsonValue e = core::JsonValue::object();
        e.set("event", "error");
        e.set("message", message);
        std::cout << e.dump() << std::endl;
    }
    return fail(code, message);
}

/// Runs this same command once per local process with the rank in the environment, waits
/// for all, and returns the worst exit code.
int launchWorkers(const std::vector<std::string>& args, int nproc, int nodeRank, int world) {
    installStopHandlers();
    std::vector<std::string> argv = {"/proc/self/exe", kName};
    argv.insert(argv.end(), args.begin(), args.end());
    for (int local = 0; local < nproc; ++local) {
        const pid_t pid = ::fork();
        if (pid < 0)
            return fail(kExitFailure, "cannot start training process " + std::to_string(local));
        if (pid == 0) {
            ::setenv("TOCCATA_DIST_RANK", std::to_string(nodeRank * nproc + local).c_str(), 1);
            ::setenv("TOCCATA_DIST_WORLD", std::to_string(world).c_str(), 1);
            std::vector<char*> raw;
            for (std::string& a : argv) raw.push_back(a.data());
            raw.push_back(nullptr);
            ::execv("/proc/self/exe", raw.data());
            std::perror("toccata-cli train: exec");
            ::_exit(kExitFailure);
        }
        g_children.push_back(pid);
    }
    int worst = kExitOk;
    for (pid_t child : g_children) {
        int status = 0;
        while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : kExitFailure;
        worst = std::max(worst, code);
    }
    return worst;
}

/// What the families' training differs in: configs, hparams, the dataset and the trainer.
/// The command's flow (resume, workers, events) is the same for each. [cli]
struct DatasetSummary {
    int64_t filesRead = 0, filesSkipped = 0, trainExamples = 0, evalExamples = 0, trainSteps = 0;
    bool fromCache = false;
    std::string stats;
};

/// The settings every family's trainer takes (RnnTrainingSettings, VaeTrainingSettings).
void fillCommonSettings(ml::TrainingRunSettings& s, const ArgParser& parser, const std::string& out,
                        long long steps, const std::string& data) {
    s.runFolder = out;
    s.totalSteps = steps;
    s.resume = parser.has("--resume");
    s.modelId = parser.valueOr("--id", "");
    s.description = parser.valueOr("--description", "");
    std::error_code ec;
    s.dataFolder = fs::absolute(data, ec).string();
    s.corpus = parser.valueOr("--corpus", "MIDI files in " + s.dataFolder);
    s.trainingDataLicense = parser.valueOr("--data-license", "the user's own MIDI files");
    s.weightsLicense = parser.valueOr("--weights-license", "trained by the user with Toccata");
}

/// What every family does the same way: restore a checkpoint's hparams, apply --hparams
/// text, report them, and train on its dataset with its trainer (`Train`: ml::trainRnn,
/// trainVae, ...). `Settings` has an `hparams` member with fromJson/apply/toJson.
template <typename Settings, typename HParams, typename Dataset, auto Train>
class FamilyBase {
public:
    core::Status restoreHParams(const core::JsonValue& json) {
        auto restored = HParams::fromJson(json, m_settings.hparams);
        if (!restored) return restored.error();
        m_settings.hparams = *restored;
        return {};
    }
    core::Status applyHParams(const std::string& text) { return m_settings.hparams.apply(text); }
    core::JsonValue hparamsJson() const { return m_settings.hparams.toJson(); }
    core::Status train(const ArgParser& parser, const std::string& out, long long steps,
                       const std::string& data, const ml::TrainingEventSink& sink,
                       ml::DistributedGroup* group) {
        fillCommonSettings(m_settings, parser, out, steps, data);
        auto outcome = Train(m_dataset, m_settings, sink, g_stop, group);
        if (!outcome) return outcome.error();
        return {};
    }

protected:
    Settings m_settings;
    Dataset m_dataset;
};

/// "reading MIDI files: done/total" on a terminal while a family's dataset is read; the
/// line is ended when this goes out of scope.
class ReadingProgress {
public:
    explicit ReadingProgress(bool progress) : m_draw(progress && ::isatty(STDERR_FILENO) != 0) {}
    ~ReadingProgress() {
        if (m_draw) std::fprintf(stderr, "\n");
    }
    ReadingProgress(const ReadingProgress&) = delete;
    ReadingProgress& operator=(const ReadingProgress&) = delete;
    std::function<void(int64_t, int64_t)> callback() const {
        return [draw = m_draw](int64_t done, int64_t total) {
            if (!draw) return;
            std::fprintf(stderr, "\rreading MIDI files: %lld/%lld", static_cast<long long>(done),
                         static_cast<long long>(total));
            std::fflush(stderr);
        };
    }

private:
    bool m_draw;
};

class RnnFamily
    : public FamilyBase<ml::RnnTrainingSettings, ml::RnnHParams, ml::RnnDataset, ml::trainRnn> {
public:
    core::Status configure(const std::string& configId) {
        auto config = ml::RnnCodecConfig::named(configId);
        if (!config) return config.error();
        m_config = *config;
        m_settings.hparams = ml::RnnHParams::defaultsFor(configId);
        return {};
    }
    core::Result<DatasetSummary> buildDataset(const std::string& data,
                                              const ml::RnnDatasetOptions& options, bool progress) {
        auto dataset = buildDatasetWithProgress(data, m_config, options, progress);
        if (!dataset) return dataset.error();
        m_dataset = std::move(*dataset);
        return DatasetSummary{m_dataset.report.filesRead,
                              static_cast<int64_t>(m_dataset.report.skipped.size()),
                              static_cast<int64_t>(m_dataset.train.size()),
                              static_cast<int64_t>(m_dataset.eval.size()),
                              m_dataset.trainSteps(),
                              m_dataset.report.fromCache,
                              m_dataset.report.toString()};
    }

private:
    ml::RnnCodecConfig m_config;
};

class VaeFamily
    : public FamilyBase<ml::VaeTrainingSettings, ml::VaeHParams, ml::VaeDataset, ml::trainVae> {
public:
    core::Status configure(const std::string& configId) {
        auto config = ml::VaeConfig::named(configId);
        if (!config) return config.error();
        m_config = *config;
        m_settings.configId = configId;
        m_settings.hparams = ml::VaeHParams::defaultsFor(configId);
        return {};
    }
    core::Result<DatasetSummary> buildDataset(const std::string& data,
                                              const ml::RnnDatasetOptions& options, bool progress) {
        ml::VaeDatasetOptions vae;
        vae.evalRatio = options.evalRatio;
        vae.threads = options.threads;
        auto dataset = [&] {
            const ReadingProgress reading(progress);
            return ml::buildVaeDataset(data, m_config.converter, vae, reading.callback());
        }();
        if (!dataset) return dataset.error();
        m_dataset = std::move(*dataset);
        const int64_t windowSteps = m_config.converter.numSteps;
        return DatasetSummary{m_dataset.report.filesRead,
                              static_cast<int64_t>(m_dataset.report.skipped.size()),
                              static_cast<int64_t>(m_dataset.train.size()),
                              static_cast<int64_t>(m_dataset.eval.size()),
                              static_cast<int64_t>(m_dataset.train.size()) * windowSteps,
                              false,
                              m_dataset.report.toString()};
    }

private:
    ml::VaeConfig m_config;
};

/// The piano families (Performance RNN, Music Transformer): windows of piano performances
/// (PerformanceDataset) from --data and the folders of --extra-data.
template <typename Settings, typename HParams, auto Train>
class PerformanceFamily : public FamilyBase<Settings, HParams, ml::PerformanceDataset, Train> {
public:
    std::vector<std::string> extraFolders;

    core::Result<DatasetSummary> buildDataset(const std::string& data,
                                              const ml::RnnDatasetOptions& options, bool progress) {
        ml::PerformanceDatasetOptions po;
        po.evalRatio = options.evalRatio;
        po.threads = options.threads;
        po.extraFolders = extraFolders;
        auto dataset = [&] {
            const ReadingProgress reading(progress);
            return ml::buildPerformanceDataset(data, po, reading.callback());
        }();
        if (!dataset) return dataset.error();
        ml::PerformanceDataset& d = this->m_dataset;
        d = std::move(*dataset);
        return DatasetSummary{d.report.filesRead,
                              static_cast<int64_t>(d.report.skipped.size()),
                              static_cast<int64_t>(d.train.size()),
                              static_cast<int64_t>(d.eval.size()),
                              d.trainNotes(),
                              false,
                              d.report.toString()};
    }
};

/// Performance RNN, every config.
class PerformanceRnnFamily
    : public PerformanceFamily<ml::PerformanceRnnTrainingSettings, ml::PerformanceRnnHParams,
                               ml::trainPerformanceRnn> {
public:
    core::Status configure(const std::string& configId) {
        auto config = ml::PerformanceRnnConfig::named(configId);
        if (!config) return config.error();
        m_settings.configId = configId;
        return {};
    }
};

class MusicTransformerFamily
    : public PerformanceFamily<ml::MusicTransformerTrainingSettings, ml::MusicTransformerHParams,
                               ml::trainMusicTransformer> {
public:
    core::Status configure(const std::string& configId) {
        if (configId != "music_transformer")
            return core::Status::failure(configId +
                                         ": the music_transformer family has one config, "
                                         "music_transformer (sizes through --hparams)");
        return {};
    }
};

/// Polyphony RNN: polyphonic sequences (PolyphonyDataset) cut as the hparams ask.
class PolyphonyRnnFamily
    : public FamilyBase<ml::PolyphonyRnnTrainingSettings, ml::PolyphonyRnnHParams,
                        ml::PolyphonyDataset, ml::trainPolyphonyRnn> {
public:
    core::Status configure(const std::string& configId) {
        if (configId != "polyphony")
            return core::Status::failure(configId +
                                         ": the polyphony_rnn family has one config, polyphony");
        return {};
    }
    core::Result<DatasetSummary> buildDataset(const std::string& data,
                                              const ml::RnnDatasetOptions& options, bool progress) {
        ml::PolyphonyDatasetOptions po = ml::polyphonyDatasetOptionsFor(m_settings.hparams);
        po.evalRatio = options.evalRatio;
        po.threads = options.threads;
        auto dataset = [&] {
            const ReadingProgress reading(progress);
            return ml::buildPolyphonyDataset(data, po, reading.callback());
        }();
        if (!dataset) return dataset.error();
        m_dataset = std::move(*dataset);
        return DatasetSummary{m_dataset.report.filesRead,
                              static_cast<int64_t>(m_dataset.report.skipped.size()),
                              static_cast<int64_t>(m_dataset.train.size()),
                              static_cast<int64_t>(m_dataset.eval.size()),
                              m_dataset.trainEvents(),
                              false,
                              m_dataset.report.toString()};
    }
};

class PianoGenieFamily : public FamilyBase<ml::PianoGenieTrainingSettings, ml::PianoGenieHParams,
                                           ml::PianoGenieDataset, ml::trainPianoGenie> {
public:
    core::Status configure(const std::string& configId) {
        if (configId != "piano_genie")
            return core::Status::failure(configId +
                                         ": the piano_genie family has one config, "
                                         "piano_genie");
        return {};
    }
    core::Result<DatasetSummary> buildDataset(const std::string& data,
                                              const ml::RnnDatasetOptions& options, bool progress) {
        ml::PianoGenieDatasetOptions pg;
        pg.evalRatio = options.evalRatio;
        pg.threads = options.threads;
        auto dataset = [&] {
            const ReadingProgress reading(progress);
            return ml::buildPianoGenieDataset(data, pg, reading.callback());
        }();
        if (!dataset) return dataset.error();
        m_dataset = std::move(*dataset);
        return DatasetSummary{m_dataset.report.filesRead,
                              static_cast<int64_t>(m_dataset.report.skipped.size()),
                              static_cast<int64_t>(m_dataset.train.size()),
                              static_cast<int64_t>(m_dataset.eval.size()),
                              m_dataset.trainNotes(),
                              false,
                              m_dataset.report.toString()};
    }
};

/// The command after the family is known: hparams, dataset, workers, training.
template <typename Family>
int trainFamily(Family& fam, const std::vector<std::string>& args, ArgParser& parser,
                const std::string& mode, const std::string& out, const core::JsonValue& saved,
                const std::string& family, const std::string& configId, const std::string& data) {
    const std::string runJson = (fs::path(out) / "run.json").string();
    if (core::Status s = fam.configure(configId); !s)
        return usageError(kName, "--config: " + s.errorMessage());
    if (const core::JsonValue* h = saved.find("hparams")) {
        if (core::Status s = fam.restoreHParams(*h); !s)
            return emitError(mode, kExitInputError, runJson + ": " + s.errorMessage());
    }
    if (auto h = parser.value("--hparams")) {
        if (core::Status s = fam.applyHParams(*h); !s) return usageError(kName, s.errorMessage());
    }
    long long steps = 2000;
    if (const core::JsonValue* v = saved.find("steps"); v && v->isNumber()) steps = v->asInt();
    if (parser.has("--steps")) {
        auto n = parser.intValue("--steps", 1, 100000000);
        if (!n) return usageError(kName, parser.error());
        steps = *n;
    }
    // The held-out share a run started with stays on --resume (else files held out before
    // would be trained on).
    double evalRatio = 0.1;
    if (const core::JsonValue* v = saved.find("eval_ratio"); v && v->isNumber())
        evalRatio = v->asNumber();
    auto datasetOptions = datasetOptionsFrom(parser, evalRatio);
    if (!datasetOptions) return usageError(kName, datasetOptions.errorMessage());
    if (family == "music_vae" && datasetOptions->pipeline.transpositions)
        return usageError(kName,
                          "--transpose is for music_rnn configs; MusicVAE shifts its "
                          "melody windows at random (--hparams transpose_range=N)");
    if (family == "piano_genie" && datasetOptions->pipeline.transpositions)
        return usageError(kName,
                          "--transpose is for music_rnn configs; Piano Genie shifts its "
                          "windows at random (--hparams data_augment_transpose_max=N)");
    if ((family == "performance_rnn" || family == "music_transformer") &&
        datasetOptions->pipeline.transpositions)
        return usageError(kName, "--transpose is for music_rnn configs; " + family +
                                     " shifts its windows at random (--hparams transpose_max=N)");
    // More corpora for the piano families, kept in run.json for --resume.
    std::string extraData = parser.valueOr("--extra-data", "");
    if (const core::JsonValue* v = saved.find("extra_data");
        v && v->isString() && extraData.empty())
        extraData = v->asString();
    if constexpr (requires { fam.extraFolders; }) {
        std::stringstream folders(extraData);
        for (std::string folder; std::getline(folders, folder, ':');)
            if (!folder.empty()) fam.extraFolders.push_back(folder);
    } else if (!extraData.empty()) {
        return usageError(kName, "--extra-data " + extraData +
                                     ": only performance_rnn and music_transformer read more "
                                     "than --data");
    }
    // Processes: this host's count times the hosts.
    auto intOpt = [&](const char* name, long long fallback, long long lo,
                      long long hi) -> std::optional<long long> {
        if (!parser.has(name)) return fallback;
        return parser.intValue(name, lo, hi);
    };
    const auto nproc = intOpt("--nproc", 1, 1, 256);
    const auto nnodes = intOpt("--nnodes", 1, 1, 1024);
    const auto nodeRank = intOpt("--node-rank", 0, 0, 1023);
    const auto port = intOpt("--master-port", 29500, 1, 65535);
    if (!nproc || !nnodes || !nodeRank || !port) return usageError(kName, parser.error());
    if (*nodeRank >= *nnodes)
        return usageError(kName, "--node-rank " + std::to_string(*nodeRank) +
                                     " must be below --nnodes " + std::to_string(*nnodes));
    const int world = static_cast<int>(*nproc * *nnodes);
    const char* rankEnv = std::getenv("TOCCATA_DIST_RANK");
    const bool worker = rankEnv != nullptr;
    const int rank = worker ? std::atoi(rankEnv) : 0;
    if (world > 1 && !ml::DistributedGroup::available())
        return emitError(mode, kExitMissingResource,
                         "--nproc/--nnodes: this build has no distributed support (c10d/Gloo)");

    if (!worker) {
        std::error_code ec;
        fs::create_directories(out, ec);
        if (std::string problem = folderProblem(out); !problem.empty())
            return emitError(mode, kExitOutputError, "--out " + out + ": " + problem);
    }
    // The dataset: built (and cached) once by the launcher; workers read the cache.
    auto dataset = fam.buildDataset(data, *datasetOptions, !worker && mode == "bar");
    if (!dataset)
        return emitError(mode, kExitInputError, "--data " + data + ": " + dataset.errorMessage());
    if (!worker) {
        core::JsonValue e = core::JsonValue::object();
        e.set("event", "dataset");
        e.set("files_read", dataset->filesRead);
        e.set("files_skipped", dataset->filesSkipped);
        e.set("train_examples", dataset->trainExamples);
        e.set("eval_examples", dataset->evalExamples);
        e.set("train_steps", dataset->trainSteps);
        e.set("from_cache", dataset->fromCache);
        e.set("stats", dataset->stats);
        if (mode == "json")
            std::cout << e.dump() << std::endl;
        else
            std::cerr << dataset->stats;
        // What the run was started with, for --resume.
        std::error_code ec;
        fs::create_directories(out, ec);
        core::JsonValue run = core::JsonValue::object();
        run.set("family", family);
        run.set("config", configId);
        run.set("data", fs::absolute(data, ec).string());
        run.set("steps", static_cast<int64_t>(steps));
        run.set("hparams", fam.hparamsJson());
        run.set("eval_ratio", datasetOptions->evalRatio);
        if (!extraData.empty()) run.set("extra_data", extraData);
        if (core::Status s = core::writeFileAtomic(runJson, run.dump(2) + "\n"); !s)
            return emitError(mode, kExitOutputError, s.errorMessage());
        if (world > 1) {
            if (mode == "json") std::cout << std::flush;
            return launchWorkers(args, static_cast<int>(*nproc), static_cast<int>(*nodeRank),
                                 world);
        }
    }

    installStopHandlers();
    std::unique_ptr<ml::DistributedGroup> group;
    if (worker && world > 1) {
        ml::DistributedSettings ds;
        ds.rank = rank;
        ds.worldSize = world;
        ds.masterAddress = parser.valueOr("--master-addr", "127.0.0.1");
        ds.masterPort = static_cast<int>(*port);
        auto joined = ml::DistributedGroup::connect(ds);
        if (!joined) return emitError(mode, kExitFailure, joined.errorMessage());
        group = std::move(*joined);
    }
    const Progress progress{mode};
    if (core::Status s = fam.train(parser, out, steps, data, progress, group.get()); !s)
        return emitError(mode, kExitFailure, s.errorMessage());
    return kExitOk;
}

int runTrain(const std::vector<std::string>& args) {
    ArgParser parser(
        {"--family",          "--config",     "--data",        "--out",       "--steps",
         "--hparams",         "--eval-ratio", "--transpose",   "--min-bars",  "--threads",
         "--progress",        "--id",         "--description", "--corpus",    "--data-license",
         "--weights-license", "--nproc",      "--nnodes",      "--node-rank", "--master-addr",
         "--master-port",     "--extra-data"},
        {"--resume", "--no-cache"});
    int exitCode = kExitOk;
    if (!parseArgs(kTrainCommand, parser, args, exitCode)) return exitCode;
    const std::string mode =
        parser.valueOr("--progress", ::isatty(STDERR_FILENO) ? "bar" : "plain");
    if (mode != "bar" && mode != "json" && mode != "plain")
        return usageError(kName, "--progress " + mode + ": expected bar, json or plain");

    auto out = parser.value("--out");
    if (!out) return usageError(kName, "--out RUN_DIR is required");
    // A resumed run takes what it was started with from run.json; options given now win.
    core::JsonValue saved = core::JsonValue::object();
    const std::string runJson = (fs::path(*out) / "run.json").string();
    if (parser.has("--resume") && fs::exists(runJson)) {
        auto text = core::readFileBytes(runJson);
        auto json =
            text ? core::JsonValue::parse(*text) : core::Result<core::JsonValue>(text.error());
        if (!json) return emitError(mode, kExitInputError, runJson + ": " + json.errorMessage());
        saved = *json;
    }
    auto savedString = [&](const char* key) {
        const core::JsonValue* v = saved.find(key);
        return v && v->isString() ? v->asString() : std::string();
    };
    const std::string configId = parser.valueOr("--config", savedString("config"));
    const std::string data = parser.valueOr("--data", savedString("data"));
    if (configId.empty()) return usageError(kName, "--config is required");
    if (data.empty()) return usageError(kName, "--data DIR is required");
    // MusicVAE's config names are their own, so the family can follow from them.
    const std::vector<std::string>& vaeConfigs = ml::VaeConfig::names();
    const bool vaeConfig =
        std::find(vaeConfigs.begin(), vaeConfigs.end(), configId) != vaeConfigs.end();
    const std::vector<std::string>& performanceConfigs = ml::PerformanceRnnConfig::names();
    const bool performanceConfig = std::find(performanceConfigs.begin(), performanceConfigs.end(),
                                             configId) != performanceConfigs.end();
    const std::string fallback = !savedString("family").empty()    ? savedString("family")
                                 : vaeConfig                       ? "music_vae"
                                 : configId == "piano_genie"       ? "piano_genie"
                                 : performanceConfig               ? "performance_rnn"
                                 : configId == "music_transformer" ? "music_transformer"
                                 : configId == "polyphony"         ? "polyphony_rnn"
                                                                   : "music_rnn";
    const std::string family = parser.valueOr("--family", fallback);
    if (family == "music_rnn") {
        RnnFamily fam;
        return trainFamily(fam, args, parser, mode, *out, saved, family, configId, data);
    }
    if (family == "music_vae") {
        VaeFamily fam;
        return trainFamily(fam, args, parser, mode, *out, saved, family, configId, data);
    }
    if (family == "piano_genie") {
        PianoGenieFamily fam;
        return trainFamily(fam, args, parser, mode, *out, saved, family, configId, data);
    }
    if (family == "performance_rnn") {
        PerformanceRnnFamily fam;
        return trainFamily(fam, args, parser, mode, *out, saved, family, configId, data);
    }
    if (family == "polyphony_rnn") {
        PolyphonyRnnFamily fam;
        return trainFamily(fam, args, parser, mode, *out, saved, family, configId, data);
    }
    if (family == "music_transformer") {
        MusicTransformerFamily fam;
        return trainFamily(fam, args, parser, mode, *out, saved, family, configId, data);
    }
    return usageError(kName, "--family " + family +
                                 ": expected music_rnn, music_vae, piano_genie, performance_rnn "
                                 "or music_transformer");
}

}  // namespace
}  // namespace toccata::cli
