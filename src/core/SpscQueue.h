// A bounded lock-free single-producer/single-consumer queue: how data crosses into and out of
// real-time threads (audio callback, MIDI callbacks) without locks or allocation.
// push() only from the one producer thread, pop() only from the one consumer thread; both
// are wait-free and never allocate. Capacity is fixed at construction (rounded up to 2^n).
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace toccata::core {

template <typename T>
class SpscQueue {
    static_assert(std::is_nothrow_move_assignable_v<T>, "T must be nothrow-move-assignable");

public:
    explicit SpscQueue(size_t capacity)
        : m_mask(roundUpToPowerOfTwo(capacity < 2 ? 2 : capacity) - 1),
          m_slots(std::make_unique<T[]>(m_mask + 1)) {}
    SpscQueue(const SpscQueue&) = delete;
    SpscQueue& operator=(const SpscQueue&) = delete;

    /// [producer] False (and `value` untouched) when the queue is full.
    bool push(T&& value) noexcept {
        const size_t head = m_head.load(std::memory_order_relaxed);
        if (head - m_tailCache >= capacity()) {
            m_tailCache = m_tail.load(std::memory_order_acquire);
            if (head - m_tailCache >= capacity()) return false;
        }
        m_slots[head & m_mask] = std::move(value);
        m_head.store(head + 1, std::memory_order_release);
        return true;
    }
    bool push(const T& value) noexcept(std::is_nothrow_copy_constructible_v<T>) {
        T copy(value);
        return push(std::move(copy));
    }

    /// [consumer] The oldest value, or nullopt when empty.
    std::optional<T> pop() noexcept {
        const size_t tail = m_tail.load(std::memory_order_relaxed);
        if (tail == m_headCache) {
            m_headCache = m_head.load(std::memory_order_acquire);
            if (tail == m_headCache) return std::nullopt;
        }
        std::optional<T> value(std::move(m_slots[tail & m_mask]));
        m_tail.store(tail + 1, std::memory_order_release);
        return value;
    }

    /// [any] Approximate (exact when neither side is running).
    size_t size() const noexcept {
        return m_head.load(std::memory_order_acquire) - m_tail.load(std::memory_order_acquire);
    }
    bool empty() const noexcept { return size() == 0; }
    size_t capacity() const noexcept { return m_mask + 1; }

private:
    static size_t roundUpToPowerOfTwo(size_t n) {
        size_t p = 1;
        while (p < n) p <<= 1;
        return p;
    }

    const size_t m_mask;
    std::unique_ptr<T[]> m_slots;
    alignas(64) std::atomic<size_t> m_head{0};  // written by the producer
    alignas(64) size_t m_tailCache = 0;          // producer's view of m_tail
    alignas(64) std::atomic<size_t> m_tail{0};  // written by the consumer
    alignas(64) size_t m_headCache = 0;          // consumer's view of m_head
};

}  // namespace toccata::core
