// Timestamps the unit tests build their traffic from: one millisecond, and a
// start time in 2023 (far from 0, so a zero timestamp shows as a bug).
// Shared, not repeated per file: the test binaries are unity builds, where two
// files' constants of one name would collide.
#pragma once

#include "common/session.hpp"

namespace quartet::test {

constexpr TimeNs kMs = 1'000'000;
constexpr TimeNs kT0 = 1'700'000'000'000'000'000;

}  // namespace quartet::test
