// The tables and the JSON object of `toccata-cli bench genie`.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include <torch/torch.h>

#include "cli/commands/BenchGenie.h"
#include "core/Json.h"
#include "ml/MlVersion.h"

namespace toccata::cli {

using core::JsonValue;

namespace {

JsonValue opJson(const OpTime& t) {
    JsonValue o = JsonValue::object();
    o.set("p50Micros", std::round(t.p50 * 1000.0) / 1000.0);
    o.set("p99Micros", std::round(t.p99 * 1000.0) / 1000.0);
    o.set("medianMicros", std::round(t.median * 1000.0) / 1000.0);
    return o;
}
JsonValue optNumber(std::optional<double> v) {
    return v ? JsonValue(std::round(*v * 1000.0) / 1000.0) : JsonValue();
}
JsonValue optBool(std::optional<bool> v) { return v ? JsonValue(*v) : JsonValue(); }

JsonValue comparisonJson(const Comparison& c, const char* refName) {
    JsonValue o = JsonValue::object();
    o.set("folder", c.folder);
    o.set("source", c.source);
    o.set("model", c.description);
    JsonValue ours = JsonValue::object();
    ours.set("argmax", opJson(c.ours.argmax));
    ours.set("sample", opJson(c.ours.sample));
    ours.set("networkStep", opJson(c.networkStep));
    o.set("toccata", std::move(ours));
    if (c.theirs) {
        JsonValue t = JsonValue::object();
        t.set("version", c.theirVersion);
        t.set("argmax", opJson(c.theirs->argmax));
        t.set("sample", opJson(c.theirs->sample));
        o.set(refName, std::move(t));
    } else {
        o.set(refName, JsonValue());
    }
    JsonValue sp = JsonValue::object();
    sp.set("argmax", optNumber(c.speedup(&SideTimes::argmax)));
    sp.set("sample", optNumber(c.speedup(&SideTimes::sample)));
    o.set("speedup", std::move(sp));
    o.set("identicalArgmaxKeys", c.sameKeys >= 0 ? JsonValue(c.sameKeys) : JsonValue());
    if (!c.problem.empty()) o.set("problem", c.problem);
    return o;
}

JsonValue spanJson(const LatencySpan& s) {
    JsonValue o = JsonValue::object();
    o.set("p50Ms", std::round(s.p50) / 1000.0);
    o.set("p99Ms", std::round(s.p99) / 1000.0);
    o.set("maxMs", std::round(s.max) / 1000.0);
    return o;
}

std::optional<bool> latencyGoal(const std::optional<GenieLatencyResult>& l) {
    if (!l || l->events == 0) return std::nullopt;
    return l->toBlockEnd.p99 / 1000.0 < l->periodMs() + 1.0;
}

}  // namespace

std::string genieCpuName() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos)
            return line.substr(line.find(':') + 2);
    return "unknown CPU";
}

void printComparison(const Comparison& c, const char* refName) {
    std::printf("\n  %s\n    weights: %s (%s)\n", c.description.c_str(), c.folder.c_str(),
                c.source.c_str());
    std::printf("    %-26s %21s %21s %9s\n", "op (microseconds)", "toccata p50 / p99",
                (std::string(refName) + " p50 / p99").c_str(), "speed-up");
    const auto row = [&](const char* name, OpTime SideTimes::*op) {
        const OpTime& o = c.ours.*op;
        if (c.theirs) {
            const OpTime& t = *c.theirs.*op;
            std::printf("    %-26s %10.1f / %8.1f %10.1f / %8.1f %8.1fx\n", name, o.p50, o.p99,
                        t.p50, t.p99, *c.speedup(op));
        } else {
            std::printf("    %-26s %10.1f / %8.1f %21s %9s\n", name, o.p50, o.p99, "-", "-");
        }
    };
    row("press, argmax", &SideTimes::argmax);
    row("press, sampled", &SideTimes::sample);
    std::printf("    %-26s %10.1f / %8.1f   (toccata: input + decoder step, no key choice)\n",
                "network step alone", c.networkStep.p50, c.networkStep.p99);
    if (c.theirs) {
        if (c.sameKeys == int(c.ours.argmaxKeys.size()))
            std::printf("    argmax keys identical to %s over all %d presses (%s)\n", refName,
                        c.sameKeys, c.theirVersion.c_str());
        else
            std::printf("    argmax keys differ from %s from press %d on (%s)\n", refName,
                        c.sameKeys, c.theirVersion.c_str());
    }
    if (!c.problem.empty()) std::printf("    %s: %s\n", refName, c.problem.c_str());
}

void printGoal(const char* what, double times, const Comparison& c) {
    std::printf("  goal  >= %.0fx %s: ", times, what);
    if (const auto g = c.goal(times))
        std::printf("%s (argmax %.1fx, sampled %.1fx)\n", *g ? "met" : "NOT met",
                    *c.speedup(&SideTimes::argmax), *c.speedup(&SideTimes::sample));
    else
        std::printf("not measured\n");
}

void printLatency(const GenieLatencyResult& l) {
    std::printf("\n  key event -> note-on under JACK\n");
    if (l.events == 0) {
        std::printf(l.skipped ? "    %s\n" : "    not measured: %s\n", l.problem.c_str());
        return;
    }
    std::printf("    server '%s' (%s), %d Hz, %d-frame period (%.3f ms)\n", l.server.c_str(),
                l.startedServer ? "jackd on the dummy driver, started for this run"
                                : "a running server, --jack-server",
                l.rate, l.bufferFrames, l.periodMs());
    std::printf("    SoundFont %s\n", l.soundFont.c_str());
    std::printf("    %d key events, audio thread %s, %lld xruns\n", l.events,
                l.audioThreadPolicy.c_str(), l.xruns);
    const auto row = [](const char* name, const LatencySpan& s) {
        std::printf("    %-42s p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms\n", name, s.p50 / 1000.0,
                    s.p99 / 1000.0, s.max / 1000.0);
    };
    row("key -> callback takes the note", l.toDequeue);
    row("key -> block with the note-on rendered", l.toBlockEnd);
    row("  of which the press (step + sampling)", l.press);
    row("  and note-on queued -> block rendered", l.queued);
    row("callback duration (blocks with a note)", l.callback);
    std::printf("    goal  p99 key -> block rendered < %.3f ms (one period + 1 ms): %s (%.3f ms)\n",
                l.periodMs() + 1.0, *latencyGoal(l) ? "met" : "NOT met", l.toBlockEnd.p99 / 1000.0);
    std::printf(
        "    note  the note-on starts at the block's first frame; a sound card's output latency\n"
        "          comes on top (JACK reports %.3f ms here, not measured);\n"
        "          the dummy driver times its cycles with a timer, not a sound card\n",
        l.outputLatencyMs);
    if (!l.problem.empty()) std::printf("    problem: %s\n", l.problem.c_str());
}

void printGenieJson(const GeniePlan& plan, const Comparison* tutorial, const Comparison& official,
                    const std::optional<GenieLatencyResult>& latency) {
    JsonValue out = JsonValue::object();
    JsonValue mach = JsonValue::object();
    mach.set("cpu", genieCpuName());
    mach.set("hardwareThreads", int64_t(std::thread::hardware_concurrency()));
    mach.set("libtorch", ml::torchVersion());
    mach.set("torchThreads", torch::get_num_threads());
    out.set("machine", std::move(mach));
    out.set("iterations", plan.iterations);
    out.set("warmup", plan.warmup);
    out.set("temperature", plan.temperature);
    out.set("tutorial", tutorial ? comparisonJson(*tutorial, "pytorch") : JsonValue());
    out.set("official", comparisonJson(official, "magentajs"));
    JsonValue l;
    if (latency) {
        l = JsonValue::object();
        l.set("measured", latency->events > 0);
        l.set("server", latency->server);
        l.set("dummyDriverStartedByBench", latency->startedServer);
        l.set("rate", latency->rate);
        l.set("bufferFrames", latency->bufferFrames);
        l.set("periodMs", latency->periodMs());
        l.set("events", latency->events);
        l.set("keyToCallback", spanJson(latency->toDequeue));
        l.set("keyToBlockRendered", spanJson(latency->toBlockEnd));
        l.set("press", spanJson(latency->press));
        l.set("queuedToBlockRendered", spanJson(latency->queued));
        l.set("callback", spanJson(latency->callback));
        l.set("xruns", int64_t(latency->xruns));
        l.set("audioThreadPolicy", latency->audioThreadPolicy);
        l.set("outputLatencyMs", latency->outputLatencyMs);
        if (!latency->problem.empty()) l.set("problem", latency->problem);
    }
    out.set("latency", std::move(l));
    JsonValue goals = JsonValue::object();
    goals.set("pytorch5x", optBool(tutorial ? tutorial->goal(kGoalPyTorch) : std::nullopt));
    goals.set("magentajs20x", optBool(official.goal(kGoalMagentaJs)));
    goals.set("latencyP99UnderPeriodPlus1ms", optBool(latencyGoal(latency)));
    out.set("goals", std::move(goals));
    std::cout << out.dump() << '\n';
}

}  // namespace toccata::cli
