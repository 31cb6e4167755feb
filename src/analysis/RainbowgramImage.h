// RainbowgramImage: a Rainbowgram as an RGB picture the way NSynth draws it: the colour is the
// phase advance through matplotlib's "rainbow" colormap, darkened by the normalised magnitude
// (db / range + 1), so loud cells are saturated colour and quiet ones black.
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/Rainbowgram.h"

namespace toccata::analysis {

struct Colour {
    double red = 0.0, green = 0.0, blue = 0.0;  // each 0..1
};

/// matplotlib's "rainbow" (gnuplot palette 33,13,10) at x in [0, 1] (clamped): violet at 0,
/// green in the middle, red at 1. Exposed so a legend draws the same scale. [any]
Colour rainbowColour(double x);

/// The colormap input for a phase advance: [-1, 1] mapped linearly to [0, 1]. NSynth autoscales
/// to each picture's min/max; a fixed range keeps colours comparable and a legend stable. [any]
inline double colourPosition(float phaseAdvance) { return (double(phaseAdvance) + 1.0) * 0.5; }

/// Brightness 0..1 of a cell: magnitudeDb / rangeDb + 1. [any]
double brightness(const Rainbowgram& gram, float magnitudeDb);

/// RGB8 pixels, width = gram.frames, height = gram.bins, rows top to bottom with row 0 = the
/// highest bin (low frequencies at the bottom), 3 bytes per pixel, no row padding. [any]
std::vector<uint8_t> renderRgb(const Rainbowgram& gram);

}  // namespace toccata::analysis
