#include "cli/PngWriter.h"

#include <zlib.h>

#include "core/FileIO.h"

namespace toccata::cli {
namespace {

void putBigEndian32(std::string& out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(char((v >> shift) & 0xff));
}

// A chunk: length, type, data, CRC-32 of type + data.
void putChunk(std::string& out, const char* type, const std::string& data) {
    putBigEndian32(out, uint32_t(data.size()));
    const std::string typed = std::string(type, 4) + data;
    out += typed;
    putBigEndian32(
        out, uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(typed.data()), uInt(typed.size()))));
}

}  // namespace

core::Result<std::string> encodePngRgb(int width, int height, const std::vector<uint8_t>& rgb) {
    constexpr int kMaxSide = 1 << 24;
    if (width < 1 || height < 1 || width > kMaxSide || height > kMaxSide)
        return core::Error{"cannot make a " + std::to_string(width) + "x" + std::to_string(height) +
                           " PNG image (each side must be 1.." + std::to_string(kMaxSide) +
                           " pixels)"};
    const size_t stride = size_t(width) * 3;
    if (rgb.size() != stride * size_t(height))
        return core::Error{"PNG image data has " + std::to_string(rgb.size()) + " bytes, " +
                           std::to_string(width) + "x" + std::to_string(height) + " RGB needs " +
                           std::to_string(stride * size_t(height))};
    // Each row starts with its filter type; 0 = none (the rows compress well enough).
    std::string raw;
    raw.reserve((stride + 1) * size_t(height));
    for (int y = 0; y < height; ++y) {
        raw.push_back('\0');
        raw.append(reinterpret_cast<const char*>(rgb.data()) + size_t(y) * stride, stride);
    }
    uLongf packedSize = compressBound(uLong(raw.size()));
    std::string packed(packedSize, '\0');
    if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packedSize,
                  reinterpret_cast<const Bytef*>(raw.data()), uLong(raw.size()), 6) != Z_OK)
        return core::Error{"zlib could not compress the PNG image data"};
    packed.resize(packedSize);

    std::string png("\x89PNG\r\n\x1a\n", 8);
    std::string header;
    putBigEndian32(header, uint32_t(width));
    putBigEndian32(header, uint32_t(height));
    header +=
        std::string("\x08\x02\x00\x00\x00", 5);  // 8 bits, RGB, deflate, filter 0, no interlace
    putChunk(png, "IHDR", header);
    putChunk(png, "IDAT", packed);
    putChunk(png, "IEND", {});
    return png;
}

core::Status writePngRgb(const std::string& path, int width, int height,
                         const std::vector<uint8_t>& rgb) {
    const core::Result<std::string> png = encodePngRgb(width, height, rgb);
    if (!png.ok()) return core::Status::failure("'" + path + "': " + png.errorMessage());
    return core::writeFileAtomic(path, *png);
}

}  // namespace toccata::cli
