#include "ui/rainbowgram/RainbowgramPicture.h"

#include <cstring>
#include <vector>

#include "analysis/RainbowgramImage.h"

namespace toccata::ui {

core::Result<RainbowgramPicture> makeRainbowgramPicture(
    const audio::AudioBuffer& audio, double startSeconds, const QString& source,
    const std::atomic<bool>* cancel, const std::function<void(double)>& progress) {
    std::vector<const float*> channels;
    for (const auto& channel : audio.channels) channels.push_back(channel.data());
    const std::vector<float> mono = analysis::mixToMono(channels, audio.frameCount());
    auto gram = analysis::computeRainbowgram(mono.data(), static_cast<int64_t>(mono.size()),
                                             audio.sampleRate, {}, cancel, progress);
    if (!gram) return gram.error();
    RainbowgramPicture picture;
    picture.gram = std::move(gram.value());
    picture.startSeconds = startSeconds;
    picture.audioSeconds = audio.seconds();
    picture.source = source;
    const int width = picture.gram.frames;
    const int height = picture.gram.bins;
    if (width > 0 && height > 0) {
        const std::vector<uint8_t> rgb = analysis::renderRgb(picture.gram);
        QImage image(width, height, QImage::Format_RGB888);
        // QImage pads rows to 4 bytes; renderRgb's rows are packed.
        for (int row = 0; row < height; ++row)
            std::memcpy(image.scanLine(row), rgb.data() + size_t(row) * size_t(width) * 3,
                        size_t(width) * 3);
        picture.image = std::move(image);
    }
    return picture;
}

}  // namespace toccata::ui
