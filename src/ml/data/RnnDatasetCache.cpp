#include "ml/data/RnnDatasetCache.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include "core/FileIO.h"

namespace toccata::ml {

namespace {

constexpr char kMagic[8] = {'T', 'C', 'D', 'S', 'E', 'T', '0', '1'};

class Writer {
public:
    template <typename T>
    void pod(T value) {
        const auto* p = reinterpret_cast<const char*>(&value);
        m_out.append(p, sizeof(T));
    }
    void str(const std::string& s) {
        pod<uint32_t>(static_cast<uint32_t>(s.size()));
        m_out += s;
    }
    template <typename T>
    void vec(const std::vector<T>& v) {
        pod<uint32_t>(static_cast<uint32_t>(v.size()));
        m_out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    }
    void stats(const core::PipelineStatistics& s) {
        pod<uint32_t>(static_cast<uint32_t>(s.counters.size()));
        for (const auto& [name, n] : s.counters) {
            str(name);
            pod<int64_t>(n);
        }
        pod<uint32_t>(static_cast<uint32_t>(s.histograms.size()));
        for (const auto& [name, h] : s.histograms) {
            str(name);
            std::vector<double> bounds(h.lowerBounds().begin(), h.lowerBounds().end());
            vec(bounds);
            vec(h.counts());
        }
    }
    std::string& bytes() { return m_out; }

private:
    std::string m_out;
};

class Reader {
public:
    explicit Reader(const std::string& bytes) : m_bytes(bytes) {}
    bool ok() const { return m_ok; }
    template <typename T>
    T pod() {
        T value{};
        if (!need(sizeof(T))) return value;
        std::memcpy(&value, m_bytes.data() + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return value;
    }
    std::string str() {
        const auto n = pod<uint32_t>();
        if (!need(n)) return {};
        std::string s = m_bytes.substr(m_pos, n);
        m_pos += n;
        return s;
    }
    template <typename T>
    std::vector<T> vec() {
        const auto n = pod<uint32_t>();
        if (!need(static_cast<size_t>(n) * sizeof(T))) return {};
        std::vector<T> v(n);
        std::memcpy(v.data(), m_bytes.data() + m_pos, n * sizeof(T));
        m_pos += n * sizeof(T);
        return v;
    }
    core::PipelineStatistics stats() {
        core::PipelineStatistics s;
        for (uint32_t i = 0, n = pod<uint32_t>(); i < n && m_ok; ++i) {
            std::string name = str();
            s.counters[name] = pod<int64_t>();
        }
        for (uint32_t i = 0, n = pod<uint32_t>(); i < n && m_ok; ++i) {
            std::string name = str();
            const auto bounds = vec<double>();
            const auto counts = vec<int64_t>();
            if (bounds.empty() || bounds.size() != counts.size()) {
                m_ok = false;
                break;
            }
            // The first range starts at -infinity, which the constructor adds itself.
            core::StatisticsHistogram h(name, std::vector<double>(bounds.begin() + 1, bounds.end()));
            for (size_t b = 0; b < counts.size(); ++b) {
                const double at = b == 0 ? -std::numeric_limits<double>::max() : bounds[b];
                if (counts[b] > 0) h.increment(at, counts[b]);
            }
            s.histograms.emplace(name, std::move(h));
        }
        return s;
    }
    bool atEnd() const { return m_pos == m_bytes.size(); }

private:
    bool need(size_t n) {
        if (!m_ok || m_bytes.size() - m_pos < n) m_ok = false;
        return m_ok;
    }
    const std::string& m_bytes;
    size_t m_pos = 0;
    bool m_ok = true;
};

void writeExamples(Writer& w, const std::vector<RnnExample>& examples) {
    w.pod<uint32_t>(static_cast<uint32_t>(examples.size()));
    for (const RnnExample& e : examples) {
        w.pod<uint32_t>(e.file);
        w.vec(e.events);
        w.vec(e.chords);
    }
}

std::vector<RnnExample> readExamples(Reader& r) {
    std::vector<RnnExample> examples(r.pod<uint32_t>());
    for (RnnExample& e : examples) {
        if (!r.ok()) break;
        e.file = r.pod<uint32_t>();
        e.events = r.vec<int32_t>();
        e.chords = r.vec<uint16_t>();
    }
    return examples;
}

}  // namespace

std::string datasetCacheFile(const std::string& folder, uint64_t key) {
    char name[40];
    std::snprintf(name, sizeof name, "rnn-%016llx.tcds", static_cast<unsigned long long>(key));
    return (std::filesystem::path(folder) / name).string();
}

core::Status writeDatasetCache(const std::string& folder, const RnnDataset& dataset) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) return core::Status::failure(folder + ": cannot create the cache folder: " + ec.message());
    Writer w;
    w.bytes().append(kMagic, sizeof kMagic);
    w.pod<uint64_t>(dataset.key);
    w.pod<uint32_t>(static_cast<uint32_t>(dataset.files.size()));
    for (const std::string& f : dataset.files) w.str(f);
    w.pod<uint32_t>(static_cast<uint32_t>(dataset.chordTable.size()));
    for (const ChordSymbol& c : dataset.chordTable) {
        w.pod<uint8_t>(c.noChord ? 1 : 0);
        w.pod<int8_t>(static_cast<int8_t>(c.root));
        w.pod<int8_t>(static_cast<int8_t>(c.bass));
        w.pod<uint8_t>(static_cast<uint8_t>(c.degrees.size()));
        for (const auto& [degree, alter] : c.degrees) {
            w.pod<int8_t>(static_cast<int8_t>(degree));
            w.pod<int8_t>(static_cast<int8_t>(alter));
        }
    }
    writeExamples(w, dataset.train);
    writeExamples(w, dataset.eval);
    const RnnDatasetReport& rep = dataset.report;
    w.pod<int64_t>(rep.filesFound);
    w.pod<int64_t>(rep.filesRead);
    w.pod<int64_t>(rep.trainFiles);
    w.pod<int64_t>(rep.evalFiles);
    w.pod<uint32_t>(static_cast<uint32_t>(rep.skipped.size()));
    for (const SkippedFile& s : rep.skipped) {
        w.str(s.file);
        w.str(s.reason);
    }
    w.stats(rep.training);
    w.stats(rep.eval);
    return core::writeFileAtomic(datasetCacheFile(folder, dataset.key), w.bytes());
}

std::optional<RnnDataset> readDatasetCache(const std::string& folder, uint64_t key,
                                           const RnnCodecConfig& config) {
    auto bytes = core::readFileBytes(datasetCacheFile(folder, key), 4ULL * 1024 * 1024 * 1024);
    if (!bytes || bytes->size() < sizeof kMagic ||
        std::memcmp(bytes->data(), kMagic, sizeof kMagic) != 0)
        return std::nullopt;
    const std::string body = bytes->substr(sizeof kMagic);
    Reader r(body);
    RnnDataset d;
    d.config = config;
    d.key = r.pod<uint64_t>();
    if (d.key != key) return std::nullopt;
    d.files.resize(r.pod<uint32_t>());
    for (std::string& f : d.files) f = r.str();
    d.chordTable.resize(r.pod<uint32_t>());
    for (ChordSymbol& c : d.chordTable) {
        c.noChord = r.pod<uint8_t>() != 0;
        c.root = r.pod<int8_t>();
        c.bass = r.pod<int8_t>();
        c.degrees.resize(r.pod<uint8_t>());
        for (auto& [degree, alter] : c.degrees) {
            degree = r.pod<int8_t>();
            alter = r.pod<int8_t>();
        }
    }
    d.train = readExamples(r);
    d.eval = readExamples(r);
    RnnDatasetReport& rep = d.report;
    rep.filesFound = r.pod<int64_t>();
    rep.filesRead = r.pod<int64_t>();
    rep.trainFiles = r.pod<int64_t>();
    rep.evalFiles = r.pod<int64_t>();
    rep.skipped.resize(r.pod<uint32_t>());
    for (SkippedFile& s : rep.skipped) {
        s.file = r.str();
        s.reason = r.str();
    }
    rep.training = r.stats();
    rep.eval = r.stats();
    if (!r.ok() || !r.atEnd()) return std::nullopt;
    rep.fromCache = true;
    return d;
}

}  // namespace toccata::ml
