#include "analysis/RealFft.h"

#include <fftw3.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <new>
#include <utility>

namespace toccata::analysis {

template <typename T>
AlignedBuffer<T>::AlignedBuffer(size_t count) : m_size(count) {
    if (count == 0) return;
    m_data = static_cast<T*>(fftwf_malloc(count * sizeof(T)));
    if (!m_data) throw std::bad_alloc();  // as std::vector would; callers size buffers sanely
    for (size_t i = 0; i < count; ++i) m_data[i] = T{};
}

template <typename T>
AlignedBuffer<T>::~AlignedBuffer() {
    if (m_data) fftwf_free(m_data);
}

template <typename T>
AlignedBuffer<T>& AlignedBuffer<T>::operator=(AlignedBuffer&& other) noexcept {
    if (this != &other) {
        if (m_data) fftwf_free(m_data);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

template class AlignedBuffer<float>;
template class AlignedBuffer<std::complex<float>>;

namespace {

// Every plan of the process. FFTW's planner (plan creation and destruction) is not
// thread-safe, so everything touching it holds m_mutex; cached plans live until exit.
class PlanCache {
public:
    static PlanCache& instance() {
        static PlanCache cache;
        return cache;
    }

    fftwf_plan cached(int size, RealFft::Direction direction) {
        std::lock_guard lock(m_mutex);
        const auto key = std::make_pair(size, direction);
        if (auto it = m_plans.find(key); it != m_plans.end()) return it->second;
        fftwf_plan made = makePlan(size, direction, FFTW_ESTIMATE);
        m_plans.emplace(key, made);
        return made;
    }

    fftwf_plan oneOff(int size, RealFft::Direction direction) {
        std::lock_guard lock(m_mutex);
        return makePlan(size, direction, FFTW_ESTIMATE);
    }

    void destroy(fftwf_plan plan) {
        std::lock_guard lock(m_mutex);
        fftwf_destroy_plan(plan);
    }

    ~PlanCache() {
        std::lock_guard lock(m_mutex);
        for (auto& [key, plan] : m_plans) fftwf_destroy_plan(plan);
    }

private:
    // Caller holds m_mutex. Plans are made on scratch arrays and run on the caller's.
    static fftwf_plan makePlan(int size, RealFft::Direction direction, unsigned flags) {
        AlignedBuffer<float> real(static_cast<size_t>(size));
        AlignedBuffer<std::complex<float>> spectrum(size_t(size / 2 + 1));
        auto* complexData = reinterpret_cast<fftwf_complex*>(spectrum.data());
        return direction == RealFft::Direction::kForward
                   ? fftwf_plan_dft_r2c_1d(size, real.data(), complexData, flags)
                   : fftwf_plan_dft_c2r_1d(size, complexData, real.data(), flags);
    }

    std::mutex m_mutex;
    std::map<std::pair<int, RealFft::Direction>, fftwf_plan> m_plans;
};

}  // namespace

RealFft::RealFft(int size, Direction direction, Planning planning)
    : m_size(size), m_direction(direction), m_owned(planning == Planning::kOneOff) {
    PlanCache& cache = PlanCache::instance();
    m_plan = m_owned ? cache.oneOff(size, direction) : cache.cached(size, direction);
}

RealFft::~RealFft() {
    if (m_owned && m_plan) PlanCache::instance().destroy(static_cast<fftwf_plan>(m_plan));
}

void RealFft::execute(float* real, std::complex<float>* spectrum) const {
    auto plan = static_cast<fftwf_plan>(m_plan);
    auto* complexData = reinterpret_cast<fftwf_complex*>(spectrum);
    if (m_direction == Direction::kForward)
        fftwf_execute_dft_r2c(plan, real, complexData);
    else
        fftwf_execute_dft_c2r(plan, complexData, real);
}

size_t fastFftSize(size_t minimum, size_t multiple) {
    if (multiple == 0) multiple = 1;
    for (size_t n = (std::max<size_t>(minimum, 1) + multiple - 1) / multiple * multiple;;
         n += multiple) {
        size_t rest = n;
        for (size_t prime : {2, 3, 5, 7})
            while (rest % prime == 0) rest /= prime;
        if (rest == 1) return n;
    }
}

}  // namespace toccata::analysis
