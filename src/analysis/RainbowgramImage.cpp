#include "analysis/RainbowgramImage.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace toccata::analysis {

Colour rainbowColour(double x) {
    x = std::clamp(x, 0.0, 1.0);
    const auto unit = [](double v) { return std::clamp(v, 0.0, 1.0); };
    return {unit(std::abs(2.0 * x - 0.5)), unit(std::sin(std::numbers::pi * x)),
            unit(std::cos(std::numbers::pi * x / 2.0))};
}

double brightness(const Rainbowgram& gram, float magnitudeDb) {
    if (gram.rangeDb <= 0.0) return 0.0;
    return std::clamp(double(magnitudeDb) / gram.rangeDb + 1.0, 0.0, 1.0);
}

std::vector<uint8_t> renderRgb(const Rainbowgram& gram) {
    // A 256-entry table of the colormap, as matplotlib samples it.
    Colour table[256];
    for (int i = 0; i < 256; ++i) table[i] = rainbowColour(i / 255.0);
    const size_t width = size_t(std::max(gram.frames, 0));
    const size_t height = size_t(std::max(gram.bins, 0));
    std::vector<uint8_t> pixels(width * height * 3, 0);
    if (gram.magnitudeDb.size() < width * height || gram.phaseAdvance.size() < width * height)
        return pixels;
    for (size_t t = 0; t < width; ++t) {
        for (size_t k = 0; k < height; ++k) {
            const size_t cell = t * height + k;
            const int entry = int(
                std::lround(std::clamp(colourPosition(gram.phaseAdvance[cell]), 0.0, 1.0) * 255));
            const Colour& colour = table[entry];
            const double level = brightness(gram, gram.magnitudeDb[cell]);
            uint8_t* pixel = pixels.data() + ((height - 1 - k) * width + t) * 3;
            pixel[0] = uint8_t(std::lround(colour.red * level * 255.0));
            pixel[1] = uint8_t(std::lround(colour.green * level * 255.0));
            pixel[2] = uint8_t(std::lround(colour.blue * level * 255.0));
        }
    }
    return pixels;
}

}  // namespace toccata::analysis
