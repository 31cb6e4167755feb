// Named-tensor lookup with shape checks for model loading.
#include "ml/weights/WeightStore.h"

namespace toccata::ml {

namespace {

template <typename Dims>
std::string formatShape(const Dims& dims) {
    std::string out = "[";
    bool first = true;
    for (int64_t d : dims) {
        if (!first) out += ", ";
        out += d < 0 ? std::string("*") : std::to_string(d);
        first = false;
    }
    return out + "]";
}

}  // namespace

std::string shapeToString(const std::vector<int64_t>& shape) { return formatShape(shape); }
std::string shapeToString(c10::IntArrayRef shape) { return formatShape(shape); }

std::vector<std::string> WeightStore::names() const {
    std::vector<std::string> out;
    out.reserve(m_tensors.size());
    for (const auto& [name, tensor] : m_tensors) out.push_back(name);
    return out;
}

void WeightStore::insert(const std::string& name, torch::Tensor tensor) {
    m_tensors[name] = std::move(tensor);
}

core::Result<torch::Tensor> WeightStore::get(const std::string& name) const {
    const auto it = m_tensors.find(name);
    if (it == m_tensors.end())
        return core::Result<torch::Tensor>::failure(m_source + ": weight \"" + name +
                                                    "\" is missing");
    return it->second;
}

core::Result<torch::Tensor> WeightStore::get(const std::string& name,
                                             const std::vector<int64_t>& shape) const {
    auto tensor = get(name);
    if (!tensor) return tensor;
    const auto actual = tensor->sizes();
    bool match = actual.size() == shape.size();
    for (size_t i = 0; match && i < shape.size(); ++i)
        match = shape[i] < 0 || shape[i] == actual[i];
    if (!match)
        return core::Result<torch::Tensor>::failure(m_source + ": weight \"" + name +
                                                    "\" has shape " + shapeToString(actual) +
                                                    ", expected " + shapeToString(shape));
    return tensor;
}

}  // namespace toccata::ml
