// Small helpers shared by the sequence operations (not part of the public API).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace toccata::core::ops_detail {

/// printf-style fixed-point formatting for error messages ("2.50").
inline std::string fixed(double value, int decimals = 2) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

/// Shortest round-trippable-enough formatting for values named in messages ("0.5", "120").
inline std::string number(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.10g", value);
    return buffer;
}

/// Python's `a % b` for b > 0: the result is always in [0, b).
inline int64_t floorMod(int64_t a, int64_t b) {
    const int64_t r = a % b;
    return r < 0 ? r + b : r;
}

/// Python's `a // b` for b > 0.
inline int64_t floorDiv(int64_t a, int64_t b) { return (a - floorMod(a, b)) / b; }

}  // namespace toccata::core::ops_detail
