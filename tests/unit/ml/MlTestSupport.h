// Helpers for the ML runtime tests: fixture folders, JSON files and small tensors.
// Include this before any Qt header: Qt's `slots` macro clashes with libtorch's headers.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "core/FileIO.h"
#include "core/Json.h"

#include <QFile>
#include <QString>
#include <QtTest>

#include "TestSupport.h"

namespace toccata::test {

/// tests/data/parity/music_rnn/<name> in the source tree.
inline std::string musicRnnFixture(const std::string& name) {
    return toStd(sourceDir()) + "/tests/data/parity/music_rnn/" + name;
}

/// tests/data/parity/music_vae/<name> in the source tree.
inline std::string musicVaeFixture(const std::string& name) {
    return toStd(sourceDir()) + "/tests/data/parity/music_vae/" + name;
}

inline core::JsonValue readJsonFile(const std::string& path) {
    auto bytes = core::readFileBytes(path);
    if (!bytes) return {};
    auto json = core::JsonValue::parse(*bytes);
    return json ? *json : core::JsonValue();
}

inline torch::Tensor floats(const std::vector<float>& values, std::vector<int64_t> shape) {
    return torch::tensor(values, torch::kFloat).reshape(shape);
}

inline double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

/// Writes `bytes` to `path`; false when the file cannot be written.
inline bool writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

inline QString qs(const std::string& s) { return QString::fromStdString(s); }

}  // namespace toccata::test
