// toccata-cli bench transformer: Music Transformer generation speed, tokens/s of greedy
// decoding with our KV-cached step and with full recomputation per token, beside the same
// model in PyTorch eager (tools/bench/pytorch_music_transformer.py, Debian's python3-torch)
// on the same weights in the same run; the argmax tokens of all four must agree.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "cli/ArgParser.h"
#include "cli/Command.h"
#include "cli/CommandSupport.h"
#include "cli/commands/BenchTarget.h"
#include "cli/commands/ModelArgs.h"
#include "core/Json.h"
#include "ml/MlVersion.h"
#include "ml/models/music_transformer/MusicTransformerGenerator.h"

namespace toccata::cli {
namespace {

namespace fs = std::filesystem;

const char* const kHelp =
    R"(usage: toccata-cli bench transformer [--model DIR|ID] [--events N] [--uncached-events M]
                              [--layers L] [--d-model D] [--heads H] [--ff F] [--window W]
                              [--max-relative R] [--vocab V] [--repeat N] [--threads T] [--batch B]
                              [--seed S] [--keep DIR] [--no-reference] [--python PATH]

Greedy generation (argmax; one sequence) from the start token, four ways:
  toccata cached     MusicTransformerCache: one token per step, key/value cache per layer
  toccata uncached   the whole sequence (its last W tokens) re-run for every new token
  pytorch cached     the same model in PyTorch eager with preallocated key/value caches
  pytorch uncached   PyTorch eager, full recomputation per token
Cached runs generate N events, repeated --repeat times (median tokens/s); uncached runs
generate M events once (their cost grows with the square of the length). The weights are
seeded random ones of the given sizes (default: 6 layers, d 256, 8 heads, ff 1024, window
1024, R 512, vocab 390), written to a temporary model folder, or a model folder (--model);
PyTorch reads the same folder. Each pair's argmax tokens are compared (same weights, same
maths); a difference is reported and makes the exit code 1. Goal: cached >= 2x PyTorch eager.

options:
  --events N          cached events, 1..8192 (default 1024)
  --uncached-events M uncached events, 0..8192 (default 256; 0 skips both uncached runs)
  --repeat N          cached repeats, 1..100 (default 3)
  --batch B           cached sequences decoded in lock step (variations), 1..64 (default 1);
                      tokens/s counts all of them
  --threads T         libtorch and PyTorch intra-op threads, 1..64 (default 1)
  --keep DIR          write the model folder into DIR and keep it
  --no-reference      skip PyTorch
  --python PATH       Python with torch and numpy (default /usr/bin/python3)

exit codes: 0 ok, 1 argmax outputs differ or a run failed, 2 bad arguments, 3 unreadable model,
            4 model folder not writable, 5 PyTorch not available
)";

const Command kCommand = {"bench transformer", "", kHelp, nullptr};

struct Run {
    int64_t events = 0, batch = 1;
    std::vector<double> seconds;
    std::vector<int> tokens;
    double tokensPerSecond() const {
        return seconds.empty() ? 0.0 : static_cast<double>(batch * events) / median(seconds);
    }
};

core::Result<Run> timeCached(const ml::MusicTransformerNetwork& net, int64_t events, int repeat,
                             int64_t batch) {
    ml::TransformerGenerationRequest r;
    r.variations = batch;
    r.maxEvents = events;
    r.sampling.temperature = 0.0;
    r.seed = 1;
    Run run;
    run.events = events;
    run.batch = batch;
    r.maxEvents = 8;  // warm-up
    if (auto g = ml::generateMusicTransformer(net, r); !g) return g.error();
    r.maxEvents = events;
    for (int i = 0; i < repeat; ++i) {
        const auto start = std::chrono::steady_clock::now();
        auto g = ml::generateMusicTransformer(net, r);
        run.seconds.push_back(secondsSince(start));
        if (!g) return g.error();
        run.tokens.clear();
        for (int e : g->events[0]) run.tokens.push_back(e + int(ml::kTransformerReservedTokens));
    }
    return run;
}

Run timeUncached(const ml::MusicTransformerNetwork& net, int64_t events) {
    torch::NoGradGuard noGrad;
    const int64_t W = net.architecture().contextWindow;
    std::vector<int64_t> seq = {ml::kTransformerStartToken};
    Run run;
    run.events = events;
    const auto start = std::chrono::steady_clock::now();
    for (int64_t n = 0; n < events; ++n) {
        const int64_t from = std::max<int64_t>(0, static_cast<int64_t>(seq.size()) - W);
        const torch::Tensor tokens = torch::from_blob(
            seq.data() + from, {1, static_cast<int64_t>(seq.size()) - from}, torch::kLong);
        torch::Tensor last = net.forward(tokens).select(1, tokens.size(1) - 1).squeeze(0);
        last.narrow(0, 0, ml::kTransformerReservedTokens).fill_(-INFINITY);
        const int64_t token = last.argmax().item<int64_t>();
        run.tokens.push_back(static_cast<int>(token));
        seq.push_back(token);
    }
    run.seconds.push_back(secondsSince(start));
    return run;
}

/// "same for all N" or "first difference at event k of N".
std::string agreement(const std::vector<int>& a, const std::vector<int>& b, bool& ok) {
    const size_t n = std::min(a.size(), b.size());
    size_t same = 0;
    while (same < n && a[same] == b[same]) ++same;
    if (same == n) return "same for all " + std::to_string(n) + " events";
    ok = false;
    return "DIFFER from event " + std::to_string(same) + " of " + std::to_string(n);
}

std::optional<Run> parseRun(const core::JsonValue* j) {
    if (!j || !j->isObject()) return std::nullopt;
    const core::JsonValue* secs = j->find("seconds");
    const core::JsonValue* toks = j->find("tokens");
    const core::JsonValue* ev = j->find("events");
    if (!secs || !toks || !ev || !secs->isArray() || !toks->isArray()) return std::nullopt;
    Run r;
    r.events = ev->asInt();
    if (const core::JsonValue* b = j->find("batch"); b && b->isInteger()) r.batch = b->asInt();
    for (const auto& s : secs->items()) r.seconds.push_back(s.asNumber());
    for (const auto& t : toks->items()) r.tokens.push_back(static_cast<int>(t.asInt()));
    return r;
}

struct TempFolder {
    std::string path;
    bool keep = false;
    ~TempFolder() {
        std::error_code ec;
        if (!path.empty() && !keep) fs::remove_all(path, ec);
    }
};

int run(const std::vector<std::string>& args) {
    ArgParser parser({"--model", "--models-dir", "--events", "--uncached-events", "--layers",
                      "--d-model", "--heads", "--ff", "--window", "--max-relative", "--vocab",
                      "--repeat", "--threads", "--seed", "--keep", "--python", "--batch"},
                     {"--no-reference"});
    int exitCode = kExitOk;
    if (!parseArgs(kCommand, parser, args, exitCode)) return exitCode;
    ml::MusicTransformerArchitecture arch;
    int64_t events = 1024, uncachedEvents = 256, repeat = 3, threads = 1, seed = 1, batch = 1;
    struct IntOption {
        const char* name;
        int64_t* target;
        long long lo, hi;
    };
    for (const IntOption& o :
         {IntOption{"--events", &events, 1, 8192},
          IntOption{"--uncached-events", &uncachedEvents, 0, 8192},
          IntOption{"--repeat", &repeat, 1, 100}, IntOption{"--threads", &threads, 1, 64},
          IntOption{"--seed", &seed, 0, 1LL << 40}, IntOption{"--layers", &arch.numLayers, 1, 64},
          IntOption{"--d-model", &arch.dModel, 1, 4096},
          IntOption{"--heads", &arch.numHeads, 1, 256}, IntOption{"--ff", &arch.ffSize, 1, 16384},
          IntOption{"--window", &arch.contextWindow, 1, 16384},
          IntOption{"--max-relative", &arch.maxRelativeDistance, 0, 16384},
          IntOption{"--vocab", &arch.vocabSize, 3, 100000}}) {
        if (!parser.has(o.name)) continue;
        const auto v = parser.intValue(o.name, o.lo, o.hi);
        if (!v) return usageError(kCommand.name, parser.error());
        *o.target = *v;
    }
    if (arch.maxRelativeDistance < 1)
        return usageError(kCommand.name, "--max-relative must be >= 1");
    if (core::Status s = arch.validate("bench transformer"); !s)
        return usageError(kCommand.name, s.errorMessage());
    torch::set_num_threads(static_cast<int>(threads));
    const auto fail = [&](int code, const std::string& message) {
        return commandFailure(kCommand.name, code, message);
    };

    TempFolder temp;
    std::string folder, source;
    if (parser.has("--model")) {
        std::error_code ec;
        folder = parser.valueOr("--model", "");
        if (!fs::is_directory(folder, ec)) {
            ModelLookup lookup = resolveModel(kCommand.name, parser);
            if (lookup.exitCode != kExitOk) return lookup.exitCode;
            folder = lookup.spec.folder;
        }
        source = "model " + folder;
    } else {
        if (const auto keep = parser.value("--keep")) {
            temp = {*keep, true};
        } else {
            char pattern[] = "/tmp/toccata-bench-transformer-XXXXXX";
            if (!::mkdtemp(pattern))
                return fail(kExitOutputError, "cannot create a temporary folder");
            temp.path = pattern;
        }
        folder = temp.path + "/music_transformer";
        auto net = ml::MusicTransformerNetwork::create(arch, static_cast<uint64_t>(seed));
        if (!net) return fail(kExitUsage, net.errorMessage());
        core::JsonValue codec = core::JsonValue::object();
        codec.set("encoding", "performance");
        core::JsonValue provenance = core::JsonValue::object();
        provenance.set("corpus", "none: seeded random weights for toccata-cli bench transformer");
        core::JsonValue license = core::JsonValue::object();
        license.set("trainingData", "none");
        if (core::Status s = ml::saveMusicTransformer(folder, **net, "bench_music_transformer",
                                                      codec, provenance, license, true);
            !s)
            return fail(kExitOutputError, s.errorMessage());
        source = "seeded random weights (seed " + std::to_string(seed) + ")";
    }
    auto model = ml::MusicTransformerModel::load(folder);
    if (!model) return fail(kExitInputError, model.errorMessage());
    const ml::MusicTransformerNetwork& net = (*model)->network();
    const ml::MusicTransformerArchitecture& a = net.architecture();

    std::printf(
        "bench transformer: %lld layers, d %lld, %lld heads, ff %lld, R %lld, window %lld, "
        "vocab %lld; %s\n",
        (long long)a.numLayers, (long long)a.dModel, (long long)a.numHeads, (long long)a.ffSize,
        (long long)a.maxRelativeDistance, (long long)a.contextWindow, (long long)a.vocabSize,
        source.c_str());
    std::printf(
        "  greedy from the start token; cached: %lld sequence%s x %lld events x %lld repeats "
        "(median), uncached: 1 x %lld events once\n  machine: %u hardware threads; libtorch %s, %d "
        "intra-op "
        "thread%s\n",
        (long long)batch, batch == 1 ? "" : "s", (long long)events, (long long)repeat,
        (long long)uncachedEvents, std::thread::hardware_concurrency(), ml::torchVersion().c_str(),
        torch::get_num_threads(), torch::get_num_threads() == 1 ? "" : "s");
    std::fflush(stdout);

    auto cached = timeCached(net, events, static_cast<int>(repeat), batch);
    if (!cached) return fail(kExitFailure, cached.errorMessage());
    std::optional<Run> uncached;
    if (uncachedEvents > 0) uncached = timeUncached(net, uncachedEvents);

    std::optional<Run> refCached, refUncached;
    std::string problem, torchVersion;
    if (parser.has("--no-reference")) {
        problem = "skipped (--no-reference)";
    } else {
        const std::string python = parser.valueOr("--python", "/usr/bin/python3");
        const std::string script = sourceTreeFile("tools/bench/pytorch_music_transformer.py");
        if (script.empty()) {
            problem =
                "not available: tools/bench/pytorch_music_transformer.py not found (set "
                "TOCCATA_SOURCE_DIR)";
        } else {
            std::ostringstream command;
            command << shellQuote(python) << " " << shellQuote(script) << " --weights "
                    << shellQuote(folder) << " --events " << events << " --uncached-events "
                    << uncachedEvents << " --repeat " << repeat << " --threads " << threads
                    << " --batch " << batch << " 2>&1";
            const auto output = captureOutput(command.str());
            std::optional<core::JsonValue> json;
            if (output) {
                const size_t brace = output->rfind("\n{");
                if (auto parsed = core::JsonValue::parse(
                        output->substr(brace == std::string::npos ? 0 : brace + 1));
                    parsed && parsed->isObject())
                    json = std::move(*parsed);
            }
            if (json) {
                refCached = parseRun(json->find("cached"));
                refUncached = parseRun(json->find("uncached"));
                if (const auto* v = json->find("torch"); v && v->isString())
                    torchVersion = v->asString();
            }
            if (!refCached)
                problem = "not available (" + python + " with torch and numpy: Debian's " +
                          "python3-torch): " +
                          (output ? output->substr(0, 400) : std::string("could not run it"));
        }
    }

    const auto rate = [](const std::optional<Run>& r) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%10.1f", r ? r->tokensPerSecond() : 0.0);
        return r ? std::string(buf) : std::string("         -");
    };
    const auto ratio = [](const std::optional<Run>& num, const std::optional<Run>& den) {
        char buf[32];
        if (!num || !den || den->tokensPerSecond() <= 0.0) return std::string("      -");
        std::snprintf(buf, sizeof buf, "%6.2fx", num->tokensPerSecond() / den->tokensPerSecond());
        return std::string(buf);
    };
    const std::optional<Run> ours = *cached;
    std::printf("\n  tokens/s (median)        toccata  pytorch eager  speed-up\n");
    std::printf("  cached   %5lld events %s     %s   %s\n", (long long)events, rate(ours).c_str(),
                rate(refCached).c_str(), ratio(ours, refCached).c_str());
    if (uncached)
        std::printf("  uncached %5lld events %s     %s   %s\n", (long long)uncachedEvents,
                    rate(uncached).c_str(), rate(refUncached).c_str(),
                    ratio(uncached, refUncached).c_str());
    if (uncached)
        std::printf("  cached / uncached      %s        %s\n", ratio(ours, uncached).c_str(),
                    ratio(refCached, refUncached).c_str());
    if (!problem.empty())
        std::printf("  pytorch eager %s\n", problem.c_str());
    else if (!torchVersion.empty())
        std::printf("  pytorch eager: torch %s, tools/bench/pytorch_music_transformer.py\n",
                    torchVersion.c_str());

    bool same = true;
    std::printf("\n  argmax tokens:\n");
    if (uncached)
        std::printf("    toccata cached vs toccata uncached    %s\n",
                    agreement(ours->tokens, uncached->tokens, same).c_str());
    if (refCached)
        std::printf("    toccata cached vs pytorch cached      %s\n",
                    agreement(ours->tokens, refCached->tokens, same).c_str());
    if (refUncached && uncached)
        std::printf("    toccata uncached vs pytorch uncached  %s\n",
                    agreement(uncached->tokens, refUncached->tokens, same).c_str());
    if (refCached)
        std::printf(
            "\n  goal >= 2x PyTorch eager (cached): %s (%.2fx)\n",
            ours->tokensPerSecond() >= 2.0 * refCached->tokensPerSecond() ? "met" : "not met",
            ours->tokensPerSecond() / refCached->tokensPerSecond());
    else
        std::printf("\n  goal >= 2x PyTorch eager (cached): not measured\n");
    if (temp.keep) std::printf("  model folder kept: %s\n", folder.c_str());
    std::fflush(stdout);
    if (!same) return kExitFailure;
    if (!problem.empty() && !parser.has("--no-reference")) return kExitMissingResource;
    return kExitOk;
}

}  // namespace

extern const BenchTarget kTransformerBench = {
    "transformer", "Music Transformer tokens/s, KV-cached vs uncached, beside PyTorch eager", kHelp,
    run};

}  // namespace toccata::cli
