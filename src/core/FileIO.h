// File helpers with the guarantees the rest of the code relies on: bounded reads with clear
// errors, and atomic writes (temp file in the same folder, fsync, rename) so a crash never
// leaves a half-written file where the user's file was.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/Result.h"

namespace toccata::core {

inline constexpr uint64_t kDefaultMaxReadBytes = 256ull * 1024 * 1024;

/// Whole file as bytes; errors name the path ("not found", "is a folder", "larger than …").
Result<std::string> readFileBytes(const std::string& path,
                                  uint64_t maxBytes = kDefaultMaxReadBytes);

/// Replaces `path` atomically with `data`.
Status writeFileAtomic(const std::string& path, std::string_view data);

}  // namespace toccata::core
