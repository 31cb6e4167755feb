// Counts operator new calls made on the current thread while a CountAllocations scope is
// alive. Include it in exactly one translation unit of a test binary: it replaces the global
// operator new for the whole binary.
#pragma once

#include <cstdlib>
#include <new>

namespace toccata::test {
inline thread_local bool t_countAllocations = false;
inline thread_local long long t_allocations = 0;

struct CountAllocations {
    CountAllocations() { t_allocations = 0, t_countAllocations = true; }
    ~CountAllocations() { t_countAllocations = false; }
    long long count() const { return t_allocations; }
};
}  // namespace toccata::test

void* operator new(std::size_t size) {
    if (toccata::test::t_countAllocations) ++toccata::test::t_allocations;
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    if (toccata::test::t_countAllocations) ++toccata::test::t_allocations;
    return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
    return operator new(size, tag);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
