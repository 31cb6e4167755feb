// MusicVAE tools: chunking, latent paths, chained decoding, groove blending.
#include "ml/models/music_vae/MusicVaeGenerator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "core/ops/Quantization.h"

namespace toccata::ml {

namespace {

using core::Note;
using core::NoteSequence;
using Sequences = core::Result<std::vector<NoteSequence>>;

constexpr int kMaxCount = 64;
constexpr double kMaxTemperature = 2.0;
/// Correlation of one chained chunk's z with the previous chunk's: high enough that a long
/// phrase keeps its character, low enough that it develops. sqrt(1 - rho^2) keeps N(0, I).
constexpr double kChainCorrelation = 0.75;

std::string number(double v) {
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

std::string bar(int64_t step, int64_t stepsPerBar) {
    return "bar " + std::to_string(step / stepsPerBar + 1) + ", step " +
           std::to_string(step % stepsPerBar + 1);
}

core::Result<bool> checkTemperature(double t) {
    if (!std::isfinite(t) || t < 0.0 || t > kMaxTemperature)
        return core::Result<bool>::failure("temperature must be between 0 and 2, got " + number(t));
    return true;
}

/// A fresh output sequence at `qpm`, 4/4.
NoteSequence emptySequence(double qpm) {
    NoteSequence out;
    out.tempos.push_back({0.0, qpm});
    out.timeSignatures.push_back({0.0, 4, 4});
    return out;
}

/// Notes of `part` moved `steps` steps (and their seconds) later, appended to `out`.
void appendShifted(NoteSequence& out, const NoteSequence& part, int64_t steps, double seconds) {
    for (Note n : part.notes) {
        n.quantizedStartStep += steps;
        n.quantizedEndStep += steps;
        n.startTime += seconds;
        n.endTime += seconds;
        out.notes.push_back(n);
    }
}

/// Groove output may push a hit before 0 s (an early first note): it is moved to 0.
void clampToZero(NoteSequence& seq) {
    for (Note& n : seq.notes)
        if (n.startTime < 0.0) {
            n.endTime -= n.startTime;
            n.startTime = 0.0;
        }
}

}  // namespace

core::Result<std::unique_ptr<MusicVaeGenerator>> MusicVaeGenerator::load(const ModelSpec& spec) {
    using R = core::Result<std::unique_ptr<MusicVaeGenerator>>;
    if (spec.family != "music_vae")
        return R::failure(spec.folder + ": model family is \"" + spec.family + "\", not music_vae");
    core::JsonValue converter = core::JsonValue::object();
    const core::JsonValue* encoding = spec.codec.find("encoding");
    const core::JsonValue* args = spec.codec.find("args");
    if (!encoding || !encoding->isString())
        return R::failure(spec.folder + ": the model's codec names no data converter");
    converter.set("type", *encoding);
    converter.set("args", args ? *args : core::JsonValue::object());
    auto config = VaeConverterConfig::fromMagentaJs(converter);
    if (!config) return R::failure(spec.folder + ": " + config.errorMessage());
    auto net = MusicVae::load(spec);
    if (!net) return R::failure(net.errorMessage());
    VaeConverter conv(*config);
    if ((*net)->inputDepth() != config->inputDepth() ||
        (*net)->outputDepth() != config->outputDepth())
        return R::failure(
            spec.folder + ": the weights take " + std::to_string((*net)->inputDepth()) +
            " inputs and give " + std::to_string((*net)->outputDepth()) +
            " outputs per step, but the " + encoding->asString() + " settings need " +
            std::to_string(config->inputDepth()) + " and " + std::to_string(config->outputDepth()));
    return std::make_unique<MusicVaeGenerator>(spec, std::move(net.value()), std::move(conv));
}

MusicVaeGenerator::MusicVaeGenerator(ModelSpec spec, std::unique_ptr<MusicVae> network,
                                     VaeConverter converter)
    : m_spec(std::move(spec)), m_network(std::move(network)), m_converter(std::move(converter)) {}

int64_t MusicVaeGenerator::nativeBars() const { return m_converter.config().numBars(); }

bool MusicVaeGenerator::isDrumModel() const {
    return m_converter.config().type != VaeConverterType::Melody;
}

core::Result<NoteSequence> MusicVaeGenerator::prepare(const NoteSequence& clip) const {
    using R = core::Result<NoteSequence>;
    const VaeConverterConfig& cfg = m_converter.config();
    const std::string name = clip.filename.empty() ? "the clip" : clip.filename;
    for (const core::TimeSignature& ts : clip.timeSignatures)
        if (ts.numerator != 4 || ts.denominator != 4)
            return R::failure(name + " is in " + std::to_string(ts.numerator) + "/" +
                              std::to_string(ts.denominator) + " (at " + number(ts.time) +
                              " s); MusicVAE models work on 4/4 bars");
    NoteSequence quantized;
    if (clip.isRelativeQuantized() &&
        clip.quantizationInfo.stepsPerQuarter == cfg.stepsPerQuarter) {
        quantized = clip;
    } else {
        auto q = core::quantizeNoteSequence(clip, cfg.stepsPerQuarter);
        if (!q) return R::failure(name + ": " + q.errorMessage());
        quantized = std::move(q.value());
    }
    // Melody models take the pitched notes, drum models the drum notes (or, for a file with no
    // drum channel, every note: a kit recorded on another channel). Trio models take every note:
    // the converter splits them by program and isDrum and checks each part itself.
    const bool melody = cfg.type == VaeConverterType::Melody;
    const bool trio = cfg.type == VaeConverterType::Trio;
    bool anyDrum = false;
    for (const Note& n : quantized.notes) anyDrum = anyDrum || n.isDrum;
    std::vector<Note> kept;
    for (const Note& n : quantized.notes)
        if (trio || (melody ? !n.isDrum : (n.isDrum || !anyDrum || cfg.tapify))) kept.push_back(n);
    if (kept.empty())
        return R::failure(name + " has no " +
                          (trio     ? ""
                           : melody ? "melody "
                                    : "drum ") +
                          "notes for this model");
    if (melody) {
        std::sort(kept.begin(), kept.end(), [](const Note& a, const Note& b) {
            return a.quantizedStartStep != b.quantizedStartStep
                       ? a.quantizedStartStep < b.quantizedStartStep
                       : a.pitch > b.pitch;
        });
        for (size_t i = 1; i < kept.size(); ++i)
            if (kept[i].quantizedStartStep == kept[i - 1].quantizedStartStep)
                return R::failure(name + " is polyphonic: pitches " +
                                  std::to_string(kept[i - 1].pitch) + " and " +
                                  std::to_string(kept[i].pitch) + " start together at " +
                                  bar(kept[i].quantizedStartStep, cfg.stepsPerBar()) +
                                  "; melody models take one note at a time (choose a "
                                  "single-line track)");
        for (const Note& n : kept)
            if (n.pitch < cfg.minPitch || n.pitch > cfg.maxPitch)
                return R::failure(name + ": pitch " + std::to_string(n.pitch) + " at " +
                                  bar(n.quantizedStartStep, cfg.stepsPerBar()) +
                                  " is outside the model's range " + std::to_string(cfg.minPitch) +
                                  ".." + std::to_string(cfg.maxPitch));
    }
    quantized.notes = std::move(kept);
    return quantized;
}

core::Result<torch::Tensor> MusicVaeGenerator::encoderInputs(const NoteSequence& clip) const {
    auto prepared = prepare(clip);
    if (!prepared) return core::Result<torch::Tensor>::failure(prepared.errorMessage());
    return chunkInputs(*prepared);
}

core::Result<torch::Tensor> MusicVaeGenerator::chunkInputs(const NoteSequence& prepared) const {
    using R = core::Result<torch::Tensor>;
    const int64_t n = nativeSteps();
    int64_t last = 0;
    for (const Note& note : prepared.notes) last = std::max(last, note.quantizedStartStep);
    const int64_t chunks = last / n + 1;
    std::vector<torch::Tensor> rows;
    for (int64_t k = 0; k < chunks; ++k) {
        const NoteSequence chunk = quantizedWindow(prepared, k * n, n);
        auto x = m_converter.toInputTensor(chunk);
        if (!x)
            return R::failure(
                (prepared.filename.empty() ? std::string("the clip") : prepared.filename) +
                ", bars " + std::to_string(k * nativeBars() + 1) + "-" +
                std::to_string((k + 1) * nativeBars()) + ": " + x.errorMessage());
        rows.push_back(*x);
    }
    return torch::stack(rows);
}

core::Result<torch::Tensor> MusicVaeGenerator::encode(const NoteSequence& clip) const {
    auto prepared = prepare(clip);
    if (!prepared) return core::Result<torch::Tensor>::failure(prepared.errorMessage());
    return encodePrepared(*prepared);
}

core::Result<torch::Tensor> MusicVaeGenerator::encodePrepared(const NoteSequence& prepared) const {
    using R = core::Result<torch::Tensor>;
    auto x = chunkInputs(prepared);
    if (!x) return R::failure(x.errorMessage());
    c10::InferenceMode guard;
    auto posterior = m_network->encode(*x);
    if (!posterior) return R::failure(posterior.errorMessage());
    return posterior->mu;
}

Sequences MusicVaeGenerator::decode(const torch::Tensor& z, double temperature, Rng& rng,
                                    double qpm) const {
    auto out = m_network->decode(z, nativeSteps(), temperature, rng);
    if (!out) return Sequences::failure(out.errorMessage());
    std::vector<NoteSequence> seqs;
    for (int64_t i = 0; i < out->size(0); ++i)
        seqs.push_back(m_converter.toNoteSequence((*out)[i], qpm));
    return seqs;
}

Sequences MusicVaeGenerator::decodeChained(const torch::Tensor& z, int64_t totalSteps,
                                           double temperature, Rng& rng, double qpm,
                                           const torch::Tensor& logitBias,
                                           const torch::Tensor& forcedHits) const {
    const int64_t count = z.size(0), chunks = z.size(1), n = nativeSteps();
    const double stepSeconds = core::secondsPerStep(m_converter.config().stepsPerQuarter, qpm);
    std::vector<NoteSequence> out(static_cast<size_t>(count), emptySequence(qpm));
    torch::Tensor previous;
    for (int64_t k = 0; k < chunks; ++k) {
        VaeDecodeControls controls;
        controls.initialInput = previous;
        controls.logitBias = logitBias;
        if (forcedHits.defined()) controls.forcedHits = forcedHits.narrow(1, k * n, n);
        auto y = m_network->decode(z.select(1, k).contiguous(), n, temperature, rng, controls);
        if (!y) return Sequences::failure(y.errorMessage());
        previous = y->select(1, n - 1).contiguous();
        for (int64_t i = 0; i < count; ++i) {
            const NoteSequence part = m_converter.toNoteSequence((*y)[i], qpm);
            NoteSequence& seq = out[static_cast<size_t>(i)];
            if (k == 0) seq.quantizationInfo = part.quantizationInfo;
            appendShifted(seq, part, k * n, static_cast<double>(k * n) * stepSeconds);
        }
    }
    const double end = static_cast<double>(totalSteps) * stepSeconds;
    for (NoteSequence& seq : out) {
        std::vector<Note> kept;
        for (Note note : seq.notes) {
            if (note.startTime >= end - 1e-9) continue;
            if (seq.isRelativeQuantized()) {  // groove hits may ring past the end, as played
                note.endTime = std::min(note.endTime, end);
                note.quantizedEndStep = std::min(note.quantizedEndStep, totalSteps);
            }
            kept.push_back(note);
        }
        seq.notes = std::move(kept);
        clampToZero(seq);
        if (seq.isRelativeQuantized()) seq.totalQuantizedSteps = totalSteps;
        seq.totalTime = end;
    }
    return out;
}

Sequences MusicVaeGenerator::sample(const VaeSampleOptions& options) const {
    if (options.count < 1 || options.count > kMaxCount)
        return Sequences::failure("the number of samples must be 1.." + std::to_string(kMaxCount) +
                                  ", got " + std::to_string(options.count));
    if (auto t = checkTemperature(options.temperature); !t)
        return Sequences::failure(t.errorMessage());
    if (options.bars < 0 || options.bars > 1024)
        return Sequences::failure("the length must be 1..1024 bars, got " +
                                  std::to_string(options.bars));
    if (!std::isfinite(options.qpm) || options.qpm <= 0.0 || options.qpm > 1000.0)
        return Sequences::failure("the tempo must be above 0 and at most 1000 QPM, got " +
                                  number(options.qpm));
    torch::Tensor bias;
    if (options.keyScale) {
        auto b = keyBias(*options.keyScale);
        if (!b) return Sequences::failure(b.errorMessage());
        bias = *b;
    }
    const int64_t bars = options.bars == 0 ? nativeBars() : options.bars;
    const int64_t stepsPerBar = m_converter.config().stepsPerBar();
    const int64_t chunks = (bars + nativeBars() - 1) / nativeBars();
    auto generator = at::detail::createCPUGenerator(options.seed);
    const int64_t zs = m_network->latentSize();
    torch::Tensor z = torch::empty({options.count, chunks, zs}, torch::kFloat);
    z.select(1, 0).normal_(0.0, 1.0, generator);
    const double fresh = std::sqrt(1.0 - kChainCorrelation * kChainCorrelation);
    for (int64_t k = 1; k < chunks; ++k) {
        torch::Tensor noise = torch::empty({options.count, zs}, torch::kFloat);
        noise.normal_(0.0, 1.0, generator);
        z.select(1, k).copy_(kChainCorrelation * z.select(1, k - 1) + fresh * noise);
    }
    Rng rng(options.seed ^ 0x9E3779B97F4A7C15ULL);
    return decodeChained(z, bars * stepsPerBar, options.temperature, rng, options.qpm, bias);
}

core::Result<torch::Tensor> MusicVaeGenerator::keyBias(const KeyScale& key) const {
    const VaeConverterConfig& cfg = m_converter.config();
    if (cfg.type != VaeConverterType::Melody && cfg.type != VaeConverterType::Trio)
        return core::Result<torch::Tensor>::failure(
            m_spec.id + " is a drum model: a key lock needs a melody or trio model");
    // A huge negative logit rather than -inf: softmax and argmax stay finite even if a step
    // had nothing else to choose (the no-event and note-off classes always remain).
    constexpr float kForbidden = -1e9F;
    torch::Tensor bias = torch::zeros({cfg.outputDepth()}, torch::kFloat);
    auto lock = [&](int64_t offset, int lo, int hi) {
        for (int pitch = lo; pitch <= hi; ++pitch)
            if (!key.contains(pitch)) bias[offset + 2 + pitch - lo] = kForbidden;
    };
    lock(0, cfg.minPitch, cfg.maxPitch);
    if (cfg.type == VaeConverterType::Trio)
        lock(cfg.melodyDepth(), cfg.bassMinPitch, cfg.bassMaxPitch);
    return bias;
}

Sequences MusicVaeGenerator::interpolate(const NoteSequence& from, const NoteSequence& to,
                                         const VaeInterpolateOptions& options) const {
    if (options.steps < 1 || options.steps > kMaxCount)
        return Sequences::failure("the number of interpolation steps must be 1.." +
                                  std::to_string(kMaxCount) + ", got " +
                                  std::to_string(options.steps));
    if (auto t = checkTemperature(options.temperature); !t)
        return Sequences::failure(t.errorMessage());
    auto preparedFrom = prepare(from);
    if (!preparedFrom) return Sequences::failure(preparedFrom.errorMessage());
    auto a = encodePrepared(*preparedFrom);
    if (!a) return Sequences::failure(a.errorMessage());
    auto b = encode(to);
    if (!b) return Sequences::failure(b.errorMessage());
    // Chunk by chunk; a shorter clip is looped to the longer one's length.
    const int64_t chunks = std::max(a->size(0), b->size(0));
    torch::Tensor z = torch::empty({options.steps, chunks, m_network->latentSize()});
    for (int s = 0; s < options.steps; ++s) {
        const double t = options.steps == 1 ? 0.0 : static_cast<double>(s) / (options.steps - 1);
        for (int64_t k = 0; k < chunks; ++k)
            z[s][k].copy_(latentPath((*a)[k % a->size(0)], (*b)[k % b->size(0)], t, options.path));
    }
    Rng rng(options.seed);
    return decodeChained(z, chunks * nativeSteps(), options.temperature, rng,
                         preparedFrom->initialQpm());
}

core::Result<NoteSequence> MusicVaeGenerator::grooveLike(const NoteSequence& drums,
                                                         const VaeGrooveOptions& options,
                                                         bool blend) const {
    using R = core::Result<NoteSequence>;
    if (auto t = checkTemperature(options.temperature); !t) return R::failure(t.errorMessage());
    if (!std::isfinite(options.amount) || options.amount < 0.0 || options.amount > 1.0)
        return R::failure("the groove amount must be between 0 and 1, got " +
                          number(options.amount));
    auto prepared = prepare(drums);
    if (!prepared) return R::failure(prepared.errorMessage());
    auto inputs = chunkInputs(*prepared);
    if (!inputs) return R::failure(inputs.errorMessage());
    torch::Tensor mu;
    {
        c10::InferenceMode guard;
        auto posterior = m_network->encode(*inputs);
        if (!posterior) return R::failure(posterior.errorMessage());
        mu = posterior->mu;
    }
    // A humanize model's input holds exactly the hits to play (tap2drum and add-instrument
    // models' do not).
    const VaeConverterConfig& cfg = m_converter.config();
    const bool force =
        options.keepHits && cfg.humanize && !cfg.tapify && cfg.addInstruments.empty();
    const double qpm = prepared->initialQpm();
    const int64_t n = nativeSteps();
    int64_t totalSteps = 0;
    for (const Note& note : prepared->notes)
        totalSteps = std::max(totalSteps, note.quantizedStartStep + 1);
    totalSteps = std::max(totalSteps, prepared->totalQuantizedSteps);
    Rng rng(options.seed);
    // Groove decodes each chunk from its own z: the output follows the input bar by bar.
    torch::Tensor z = mu.unsqueeze(1);  // [chunks, 1, Z]
    const int64_t drumClasses = cfg.numClasses();
    const double stepSeconds = core::secondsPerStep(m_converter.config().stepsPerQuarter, qpm);
    NoteSequence out = emptySequence(qpm);
    for (int64_t k = 0; k < z.size(0); ++k) {
        const torch::Tensor hits =
            force ? (*inputs)[k].narrow(1, 0, drumClasses).unsqueeze(0) : torch::Tensor();
        auto part = decodeChained(z.narrow(0, k, 1), n, options.temperature, rng, qpm, {}, hits);
        if (!part) return R::failure(part.errorMessage());
        appendShifted(out, part->front(), k * n, static_cast<double>(k * n) * stepSeconds);
    }
    // The last chunk was padded to the model's length: nothing may start after the input ends.
    const double inputEnd = static_cast<double>(totalSteps) * stepSeconds;
    out.notes.erase(std::remove_if(out.notes.begin(), out.notes.end(),
                                   [&](const Note& note) { return note.startTime >= inputEnd; }),
                    out.notes.end());
    // Blending pairs model and input hits; with the input's hits forced it also keeps each
    // hit's own pitch and the quieter notes that shared its slot.
    if (blend && (options.amount < 1.0 || force)) {
        // Pair each model hit with the input hit of the same step and drum class.
        const auto& classes = m_converter.config().drumPitchClasses();
        auto classOf = [&](int pitch) {
            for (size_t c = 0; c < classes.size(); ++c)
                if (std::find(classes[c].begin(), classes[c].end(), pitch) != classes[c].end())
                    return static_cast<int>(c);
            return -1;
        };
        // Each slot's loudest input hit pairs with the model's hit there; the others stay
        // input-only notes.
        std::map<std::pair<int64_t, int>, const Note*> input;
        for (const Note& note : prepared->notes) {
            const auto key = std::make_pair(note.quantizedStartStep, classOf(note.pitch));
            auto [it, added] = input.emplace(key, &note);
            if (!added && note.velocity > it->second->velocity) it->second = &note;
        }
        const double a = options.amount;
        NoteSequence blended = emptySequence(qpm);
        std::vector<const Note*> paired;
        // Per paired slot: the loudest note's move in time and velocity ratio.
        std::map<std::pair<int64_t, int>, std::pair<double, double>> moves;
        for (const Note& m : out.notes) {
            const int64_t step = std::llround(m.startTime / stepSeconds);
            auto it = input.find(std::make_pair(step, classOf(m.pitch)));
            Note note = m;
            if (it != input.end()) {
                const Note& o = *it->second;
                note.pitch = o.pitch;
                note.startTime = (1.0 - a) * o.startTime + a * m.startTime;
                note.endTime = note.startTime + (o.endTime - o.startTime);
                note.velocity =
                    static_cast<int>(std::lround((1.0 - a) * o.velocity + a * m.velocity));
                moves[it->first] = {note.startTime - o.startTime,
                                    static_cast<double>(note.velocity) / std::max(1, o.velocity)};
                paired.push_back(&o);
            } else {
                note.velocity = static_cast<int>(std::lround(a * m.velocity));
            }
            if (note.velocity >= 1) blended.notes.push_back(note);
        }
        for (const Note& o : prepared->notes) {
            if (std::find(paired.begin(), paired.end(), &o) != paired.end()) continue;
            Note note = o;
            const auto move = moves.find(std::make_pair(o.quantizedStartStep, classOf(o.pitch)));
            if (force && move != moves.end()) {  // moves with the hit it shared a slot with
                note.startTime += move->second.first;
                note.endTime += move->second.first;
                note.velocity = static_cast<int>(std::lround(o.velocity * move->second.second));
            } else if (force) {
                // A pitch in no drum class: the model has no groove for it; it stays as is.
            } else {
                note.velocity = static_cast<int>(std::lround((1.0 - a) * o.velocity));
            }
            note.isDrum = true;
            if (note.velocity >= 1) blended.notes.push_back(note);
        }
        out = std::move(blended);
    }
    clampToZero(out);
    for (Note& note : out.notes) {
        note.velocity = std::clamp(note.velocity, 1, 127);
        note.quantizedStartStep = note.quantizedEndStep = 0;
    }
    out.quantizationInfo = {};
    out.totalQuantizedSteps = 0;
    out.sortByTime();
    out.recomputeTotalTime();
    out.totalTime = std::max(out.totalTime, static_cast<double>(totalSteps) * stepSeconds);
    return out;
}

core::Result<NoteSequence> MusicVaeGenerator::groove(const NoteSequence& drums,
                                                     const VaeGrooveOptions& options) const {
    const VaeConverterConfig& cfg = m_converter.config();
    if (cfg.type != VaeConverterType::Groove || cfg.tapify)
        return core::Result<NoteSequence>::failure(
            m_spec.id +
            " is not a GrooVAE humanize model (groove needs a GrooveConverter "
            "model without tapify, e.g. groovae_2bar_humanize)");
    if (!cfg.addInstruments.empty()) return addParts(drums, options);
    return grooveLike(drums, options, true);
}

core::Result<NoteSequence> MusicVaeGenerator::addParts(const NoteSequence& drums,
                                                       const VaeGrooveOptions& options) const {
    using R = core::Result<NoteSequence>;
    auto decoded = grooveLike(drums, options, false);
    if (!decoded) return decoded;
    auto prepared = prepare(drums);
    if (!prepared) return R::failure(prepared.errorMessage());
    const VaeConverterConfig& cfg = m_converter.config();
    const auto& classes = cfg.drumPitchClasses();
    auto added = [&](int pitch) {
        for (int cls : cfg.addInstruments) {
            const std::vector<int>& pitches = classes[static_cast<size_t>(cls)];
            if (std::find(pitches.begin(), pitches.end(), pitch) != pitches.end()) return true;
        }
        return false;
    };
    // The beat as played (the parts the model adds are replaced), plus the model's new parts;
    // amount scales the new parts' velocities.
    NoteSequence out = *decoded;
    out.notes.clear();
    for (const Note& n : prepared->notes)
        if (!added(n.pitch)) {
            Note kept = n;
            kept.quantizedStartStep = kept.quantizedEndStep = 0;
            kept.isDrum = true;
            out.notes.push_back(kept);
        }
    for (Note n : decoded->notes)
        if (added(n.pitch)) {
            n.velocity = std::min(127, static_cast<int>(std::lround(options.amount * n.velocity)));
            if (n.velocity >= 1) out.notes.push_back(n);
        }
    out.sortByTime();
    return out;
}

core::Result<NoteSequence> MusicVaeGenerator::drumify(const NoteSequence& rhythm,
                                                      const VaeGrooveOptions& options) const {
    const VaeConverterConfig& cfg = m_converter.config();
    if (cfg.type != VaeConverterType::Groove || !cfg.tapify)
        return core::Result<NoteSequence>::failure(
            m_spec.id +
            " is not a tap2drum model (drumify needs a GrooveConverter model with "
            "tapify, e.g. groovae_tap2drum_2bar)");
    return grooveLike(rhythm, options, false);
}

core::Status MusicVaeGenerator::exportTo(const std::string& folder,
                                         const ModelExportOptions& options) const {
    const core::JsonValue converter = m_converter.config().toMagentaJs();
    core::JsonValue description;
    if (options.format == ModelFolderFormat::kMagentaJs) {
        description = core::JsonValue::object();
        description.set("type", "MusicVAE");
        description.set("dataConverter", converter);
    } else {
        ModelSpec out = m_spec;
        out.format = ModelSpec::Format::Toccata;
        out.weightsManifest = "weights_manifest.json";
        out.architecture = m_network->architecture().toJson();
        out.codec = core::JsonValue::object();
        out.codec.set("encoding", *converter.find("type"));
        out.codec.set("args", *converter.find("args"));
        if (out.config.empty()) out.config = out.id;
        description = out.toModelJson();
    }
    return writeModelFolder(folder, description, m_network->namedTensors(), options);
}

torch::Tensor MusicVaeGenerator::latentPath(const torch::Tensor& a, const torch::Tensor& b,
                                            double t, LatentPath path) {
    const torch::Tensor a64 = a.to(torch::kDouble), b64 = b.to(torch::kDouble);
    if (path == LatentPath::Spherical) {
        const double na = a64.norm().item<double>(), nb = b64.norm().item<double>();
        if (na > 1e-12 && nb > 1e-12) {
            const double cosine = std::clamp((a64 / na).dot(b64 / nb).item<double>(), -1.0, 1.0);
            const double omega = std::acos(cosine);
            const double s = std::sin(omega);
            if (s > 1e-6)
                return ((std::sin((1.0 - t) * omega) / s) * a64 + (std::sin(t * omega) / s) * b64)
                    .to(torch::kFloat);
        }
    }
    return (a64 + t * (b64 - a64)).to(torch::kFloat);
}

}  // namespace toccata::ml
