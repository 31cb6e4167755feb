// WeightStore: named tensors loaded from a model folder, looked up by name with a shape check
// so a network never runs on a tensor of the wrong layout. Errors name the source folder and
// the variable. Read-only after loading; safe to share between threads once built. [any]
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "core/Result.h"

namespace toccata::ml {

class WeightStore {
public:
    WeightStore() = default;
    /// `source` is what errors call this store (usually the model folder).
    explicit WeightStore(std::string source) : m_source(std::move(source)) {}

    const std::string& source() const { return m_source; }
    bool contains(const std::string& name) const { return m_tensors.count(name) != 0; }
    size_t size() const { return m_tensors.size(); }
    std::vector<std::string> names() const;

    /// Adds or replaces a tensor.
    void insert(const std::string& name, torch::Tensor tensor);

    /// The tensor called `name`; fails when it is missing.
    core::Result<torch::Tensor> get(const std::string& name) const;
    /// The tensor called `name` with exactly `shape` (-1 matches any size); fails when it is
    /// missing or its shape differs, naming both shapes.
    core::Result<torch::Tensor> get(const std::string& name,
                                    const std::vector<int64_t>& shape) const;

    /// Every tensor, ordered by name.
    const std::map<std::string, torch::Tensor>& tensors() const { return m_tensors; }

private:
    std::string m_source;
    std::map<std::string, torch::Tensor> m_tensors;
};

/// "[3, 4]" for error messages.
std::string shapeToString(const std::vector<int64_t>& shape);
std::string shapeToString(c10::IntArrayRef shape);

}  // namespace toccata::ml
