// PngWriter: 8-bit RGB images as PNG files (zlib), for `toccata-cli rainbowgram`. Written
// atomically (core::writeFileAtomic), so a failed write leaves no half file. [any] thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Result.h"

namespace toccata::cli {

/// The PNG bytes of `width` × `height` RGB8 pixels (rows top to bottom, no padding).
/// Fails when the sizes do not match the pixels or are not 1..2^24.
core::Result<std::string> encodePngRgb(int width, int height, const std::vector<uint8_t>& rgb);

/// encodePngRgb, then writes `path`; errors name the file.
core::Status writePngRgb(const std::string& path, int width, int height,
                         const std::vector<uint8_t>& rgb);

}  // namespace toccata::cli
