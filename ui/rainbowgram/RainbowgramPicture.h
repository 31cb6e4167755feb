// RainbowgramPicture: what the rainbowgram view shows — the analysis arrays, the image built
// from them, and where the audio sits in the song — and the worker step that makes one from
// audio. Immutable once made; shared between the worker and the UI. [any]
#pragma once

#include <QImage>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

#include "analysis/Rainbowgram.h"
#include "audio/AudioBuffer.h"
#include "core/Result.h"

namespace toccata::ui {

struct RainbowgramPicture {
    analysis::Rainbowgram gram;
    /// gram.frames × gram.bins RGB pixels, row 0 = the highest bin (analysis::renderRgb).
    QImage image;
    double startSeconds = 0.0;  // song time of the audio's first sample (frame 0's centre)
    double audioSeconds = 0.0;  // length of the analysed audio
    QString source;             // "the song", "track “Bass”", "sine.wav"

    /// Song time of frame `frame`'s centre.
    double frameTime(int frame) const { return startSeconds + gram.frameSeconds(frame); }
    /// Seconds one frame covers (hop / sample rate).
    double frameStep() const {
        return gram.sampleRate > 0 ? double(gram.hopLength) / gram.sampleRate : 0.0;
    }
};

using RainbowgramPicturePtr = std::shared_ptr<const RainbowgramPicture>;

/// [worker] Mixes `audio` to mono, analyses it with the NSynth settings and builds the image.
/// `progress` gets 0..1 of the analysis. Fails with analysis::kRainbowgramCancelled when
/// `cancel` became true, or with the analysis' error.
core::Result<RainbowgramPicture> makeRainbowgramPicture(
    const audio::AudioBuffer& audio, double startSeconds, const QString& source,
    const std::atomic<bool>* cancel, const std::function<void(double)>& progress);

}  // namespace toccata::ui
