#include "core/ops/PipelineStatistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/ops/OpsSupport.h"

namespace toccata::core {

namespace {

std::string boundText(double value) {
    if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
    return ops_detail::number(value);
}

}  // namespace

StatisticsHistogram::StatisticsHistogram(std::string name, const std::vector<double>& buckets)
    : m_name(std::move(name)) {
    m_lowerBounds.push_back(-std::numeric_limits<double>::infinity());
    std::vector<double> sorted = buckets;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    m_lowerBounds.insert(m_lowerBounds.end(), sorted.begin(), sorted.end());
    m_counts.assign(m_lowerBounds.size(), 0);
}

size_t StatisticsHistogram::bucketIndex(double value) const {
    // The rightmost lower bound <= value (bisect_right - 1); the -inf bound catches the rest.
    auto it = std::upper_bound(m_lowerBounds.begin(), m_lowerBounds.end(), value);
    return it == m_lowerBounds.begin() ? 0 : static_cast<size_t>(it - m_lowerBounds.begin() - 1);
}

void StatisticsHistogram::increment(double value, int64_t by) {
    if (m_counts.empty()) {  // default-constructed: a single (-inf, inf) range
        m_lowerBounds = {-std::numeric_limits<double>::infinity()};
        m_counts = {0};
    }
    m_counts[bucketIndex(value)] += by;
}

bool StatisticsHistogram::merge(const StatisticsHistogram& other) {
    if (other.m_lowerBounds != m_lowerBounds) return false;
    for (size_t i = 0; i < m_counts.size(); ++i) m_counts[i] += other.m_counts[i];
    return true;
}

int64_t StatisticsHistogram::countAt(double lowerBound) const {
    for (size_t i = 0; i < m_lowerBounds.size(); ++i) {
        if (m_lowerBounds[i] == lowerBound) return m_counts[i];
    }
    return 0;
}

int64_t StatisticsHistogram::countContaining(double value) const {
    return m_counts.empty() ? 0 : m_counts[bucketIndex(value)];
}

int64_t StatisticsHistogram::total() const {
    int64_t sum = 0;
    for (int64_t c : m_counts) sum += c;
    return sum;
}

std::string StatisticsHistogram::toString() const {
    std::string text = m_name + ":";
    for (size_t i = 0; i < m_counts.size(); ++i) {
        if (m_counts[i] == 0) continue;
        const double upper = i + 1 < m_lowerBounds.size() ? m_lowerBounds[i + 1]
                                                          : std::numeric_limits<double>::infinity();
        text += "\n  [" + boundText(m_lowerBounds[i]) + "," + boundText(upper) +
                "): " + std::to_string(m_counts[i]);
    }
    return text;
}

int64_t PipelineStatistics::counter(const std::string& name) const {
    auto it = counters.find(name);
    return it == counters.end() ? 0 : it->second;
}

const StatisticsHistogram* PipelineStatistics::histogram(const std::string& name) const {
    auto it = histograms.find(name);
    return it == histograms.end() ? nullptr : &it->second;
}

void PipelineStatistics::merge(const PipelineStatistics& other) {
    for (const auto& [name, count] : other.counters) counters[name] += count;
    for (const auto& [name, hist] : other.histograms) {
        auto it = histograms.find(name);
        if (it == histograms.end()) {
            histograms.emplace(name, hist);
        } else {
            it->second.merge(hist);
        }
    }
}

std::string PipelineStatistics::toString() const {
    std::map<std::string, std::string> lines;
    for (const auto& [name, count] : counters) lines[name] = name + ": " + std::to_string(count);
    for (const auto& [name, hist] : histograms) lines[name] = hist.toString();
    std::string text;
    for (const auto& [name, line] : lines) {
        if (!text.empty()) text += '\n';
        text += line;
    }
    return text;
}

}  // namespace toccata::core
