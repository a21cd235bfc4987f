#pragma once

#include <cstdint>
#include <string>

namespace flashsale::bench {

/// The sale's proof of work (docs/api.md, "The proof-of-work challenge"), solved as the page
/// solves it: the first decimal nonce from 0 up such that SHA-256(challenge ":" nonce) starts
/// with \a bits zero bits.
class ChallengeSolver
{
public:
    static std::uint64_t solve(const std::string &challenge, int bits);
    /// True when \a digest (32 bytes) starts with \a bits zero bits.
    static bool leadingZeroBits(const unsigned char *digest, int bits);
};

} // namespace flashsale::bench
