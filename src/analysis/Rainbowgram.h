// Rainbowgram: NSynth's picture of a sound. A constant-Q transform (ConstantQ.h) of mono audio,
// kept as two arrays over (frame, bin): log magnitude relative to the loudest cell (brightness)
// and the phase advance per hop (colour: the instantaneous frequency), plus the phase-vocoder
// frequency estimate in Hz for read-outs. Parameters follow magenta's save_rainbowgram_plot
// (reference/magenta-book-ch5-9.md §1.5): C2, 40 bins per octave, 240 bins, hop 256, filter scale
// 0.8, 70 dB. The colours are instantaneous frequency, not embedding dimensions (the book's E2).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/Result.h"

namespace toccata::analysis {

struct CqtSettings {
    double minFrequency = 65.40639132514966;  // bin 0: C2
    int binsPerOctave = 40;
    int binCount = 240;
    int hopLength = 256;       // samples at the input rate between frames
    double filterScale = 0.8;  // scales Q: < 1 gives shorter kernels (better time resolution)
};

struct RainbowgramSettings {
    CqtSettings cqt;
    double rangeDb = 70.0;  // magnitudes below the loudest cell minus this are clipped
};

/// Frames × bins, row-major by frame: index = frame * bins + bin; bin 0 = lowest frequency.
/// Frame t is centred on sample t * hopLength (the audio is zero-padded at both ends).
struct Rainbowgram {
    int sampleRate = 0;
    int hopLength = 256;
    int frames = 0;
    int bins = 0;
    int binsPerOctave = 40;
    double minFrequency = 65.40639132514966;
    double rangeDb = 70.0;
    /// dB relative to the loudest cell, clipped to [-rangeDb, 0]; all -rangeDb for silence.
    std::vector<float> magnitudeDb;
    /// NSynth's colour value: the phase unwrapped along time, first difference, divided by π,
    /// so in [-1, 1]; frame 0 holds the (wrapped) phase itself / π, as NSynth does.
    std::vector<float> phaseAdvance;
    /// Instantaneous frequency in Hz, phase-vocoder estimate relative to the bin's centre:
    /// f_k + princarg(Δφ - 2π f_k hop / sr) · sr / (2π hop). Unambiguous within
    /// ±sr / (2 hop) of f_k; f_k itself in frame 0 (no previous phase) and where either
    /// frame's coefficient is exactly 0 (digital silence).
    std::vector<float> frequencyHz;
    /// Linear |C| of the loudest cell (0 for silence). A full-scale sine at a bin centre gives
    /// about 0.5: kernels are L1-normalised (ConstantQ.h).
    float peakMagnitude = 0.0f;

    size_t index(int frame, int bin) const { return size_t(frame) * size_t(bins) + size_t(bin); }
    /// Time of frame t's centre, in seconds from the start of the audio.
    double frameSeconds(int frame) const {
        return sampleRate > 0 ? double(frame) * hopLength / sampleRate : 0.0;
    }
    /// Centre frequency of `bin` in Hz (fractional bins interpolate on the log scale).
    double binFrequency(double bin) const;
    /// The fractional bin of `hz` (inverse of binFrequency); may lie outside [0, bins).
    double binForFrequency(double hz) const;
    /// frames * hop / sampleRate: the time the frames cover.
    double durationSeconds() const { return frameSeconds(frames); }
};

/// The message computeRainbowgram fails with when `cancel` became true.
inline constexpr const char* kRainbowgramCancelled = "rainbowgram cancelled";

/// Checks settings against a sample rate: rate 1000..384000 Hz, minFrequency > 0, the top bin
/// below Nyquist, sane bins/hop/filter scale. The error names the value that is wrong. [any]
core::Status checkRainbowgramSettings(const RainbowgramSettings& settings, int sampleRate);

/// The rainbowgram of `frames` mono samples. Frame count: 1 + frames / hop (0 for no audio).
/// A NaN or infinite sample is an error naming its index. [any] thread (FFTW's planner is
/// guarded process-wide). `cancel` is polled between octaves and blocks of frames; `progress`
/// gets 0..1 on the calling thread.
core::Result<Rainbowgram> computeRainbowgram(const float* mono, int64_t frames, int sampleRate,
                                             const RainbowgramSettings& settings = {},
                                             const std::atomic<bool>* cancel = nullptr,
                                             const std::function<void(double)>& progress = {});

/// Mean of planar channels (each at least `frames` long): the mono mixdown analysed. [any]
std::vector<float> mixToMono(const std::vector<const float*>& channels, int64_t frames);

}  // namespace toccata::analysis
