// Counters and histograms reported by data-pipeline stages, named and bucketed like Magenta's
// magenta.pipelines.statistics (Counter, Histogram) so numbers can be compared with its logs.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace toccata::core {

/// Counts over ranges [lower_i, lower_i+1); an implicit first range starts at -infinity and
/// the last one runs to +infinity, so every value lands somewhere (Magenta's Histogram).
class StatisticsHistogram {
public:
    StatisticsHistogram() = default;
    /// `buckets` are inclusive lower bounds, in any order, duplicates allowed.
    StatisticsHistogram(std::string name, const std::vector<double>& buckets);

    void increment(double value, int64_t by = 1);
    /// Adds another histogram's counts; false (and nothing changes) when the buckets differ.
    bool merge(const StatisticsHistogram& other);

    const std::string& name() const { return m_name; }
    /// Lower bounds, the first being -infinity.
    const std::vector<double>& lowerBounds() const { return m_lowerBounds; }
    const std::vector<int64_t>& counts() const { return m_counts; }
    /// Count of the range whose lower bound is exactly `lowerBound` (0 if there is none).
    int64_t countAt(double lowerBound) const;
    /// Count of the range that contains `value`.
    int64_t countContaining(double value) const;
    int64_t total() const;
    /// Magenta's pretty print: "name:\n  [lo,hi): n" for non-empty ranges.
    std::string toString() const;

    bool operator==(const StatisticsHistogram&) const = default;

private:
    size_t bucketIndex(double value) const;
    std::string m_name;
    std::vector<double> m_lowerBounds;
    std::vector<int64_t> m_counts;
};

/// The statistics one pipeline stage reports: named counters and histograms.
struct PipelineStatistics {
    std::map<std::string, int64_t> counters;
    std::map<std::string, StatisticsHistogram> histograms;

    void increment(const std::string& counter, int64_t by = 1) { counters[counter] += by; }
    /// 0 for a counter never mentioned.
    int64_t counter(const std::string& name) const;
    /// nullptr when there is no histogram of that name.
    const StatisticsHistogram* histogram(const std::string& name) const;
    /// Counters add up; histograms of the same name merge (mismatched buckets are skipped).
    void merge(const PipelineStatistics& other);
    /// One line per counter ("name: n") and histogram, sorted by name, like Magenta's log.
    std::string toString() const;
};

}  // namespace toccata::core
