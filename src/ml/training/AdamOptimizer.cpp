#include "ml/training/AdamOptimizer.h"

#include <cmath>
#include <map>

namespace toccata::ml {

AdamOptimizer::AdamOptimizer(std::vector<std::pair<std::string, torch::Tensor>> params,
                             double beta1, double beta2, double epsilon)
    : m_params(std::move(params)), m_beta1(beta1), m_beta2(beta2), m_epsilon(epsilon) {
    for (auto& [name, p] : m_params) {
        p.requires_grad_(true);
        m_m.push_back(torch::zeros_like(p));
        m_v.push_back(torch::zeros_like(p));
    }
}

double AdamOptimizer::clipGradients(double clipNorm) {
    torch::NoGradGuard noGrad;
    double sumSquares = 0.0;
    for (const auto& [name, p] : m_params)
        if (p.grad().defined()) sumSquares += p.grad().pow(2).sum().item<double>();
    const double norm = std::sqrt(sumSquares);
    if (clipNorm > 0.0 && std::isfinite(norm) && norm > clipNorm) {
        const double scale = clipNorm / norm;
        for (auto& [name, p] : m_params)
            if (p.grad().defined()) p.mutable_grad().mul_(scale);
    }
    return norm;
}

void AdamOptimizer::step(double learningRate) {
    torch::NoGradGuard noGrad;
    ++m_steps;
    const double t = static_cast<double>(m_steps);
    const double rate =
        learningRate * std::sqrt(1.0 - std::pow(m_beta2, t)) / (1.0 - std::pow(m_beta1, t));
    for (size_t i = 0; i < m_params.size(); ++i) {
        torch::Tensor& p = m_params[i].second;
        if (!p.grad().defined()) continue;
        const torch::Tensor& g = p.grad();
        m_m[i].mul_(m_beta1).add_(g, 1.0 - m_beta1);
        m_v[i].mul_(m_beta2).addcmul_(g, g, 1.0 - m_beta2);
        p.addcdiv_(m_m[i], m_v[i].sqrt().add_(m_epsilon), -rate);
    }
    zeroGradients();
}

void AdamOptimizer::zeroGradients() {
    for (auto& [name, p] : m_params)
        if (p.grad().defined()) p.mutable_grad() = torch::Tensor();
}

std::vector<std::pair<std::string, torch::Tensor>> AdamOptimizer::stateTensors() const {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (size_t i = 0; i < m_params.size(); ++i) {
        out.emplace_back("adam/m/" + m_params[i].first, m_m[i]);
        out.emplace_back("adam/v/" + m_params[i].first, m_v[i]);
    }
    const auto high = static_cast<float>(m_steps >> 24);
    const auto low = static_cast<float>(m_steps & 0xFFFFFF);
    out.emplace_back("adam/step", torch::tensor({high, low}, torch::kFloat));
    return out;
}

core::Status AdamOptimizer::loadState(
    const std::vector<std::pair<std::string, torch::Tensor>>& state) {
    std::map<std::string, torch::Tensor> byName(state.begin(), state.end());
    auto find = [&](const std::string& name, const torch::Tensor& like,
                    torch::Tensor& into) -> core::Status {
        const auto it = byName.find(name);
        if (it == byName.end()) return core::Status::failure("optimizer state: \"" + name + "\" is missing");
        if (it->second.sizes() != like.sizes())
            return core::Status::failure("optimizer state: \"" + name + "\" has the wrong shape");
        into = it->second.to(torch::kFloat).clone();
        return {};
    };
    std::vector<torch::Tensor> m(m_params.size()), v(m_params.size());
    for (size_t i = 0; i < m_params.size(); ++i) {
        if (core::Status s = find("adam/m/" + m_params[i].first, m_params[i].second, m[i]); !s) return s;
        if (core::Status s = find("adam/v/" + m_params[i].first, m_params[i].second, v[i]); !s) return s;
    }
    const auto step = byName.find("adam/step");
    if (step == byName.end() || step->second.numel() != 2)
        return core::Status::failure("optimizer state: \"adam/step\" is missing");
    const auto parts = step->second.to(torch::kFloat);
    m_steps = (static_cast<int64_t>(parts[0].item<float>()) << 24) +
              static_cast<int64_t>(parts[1].item<float>());
    m_m = std::move(m);
    m_v = std::move(v);
    return {};
}

}  // namespace toccata::ml
