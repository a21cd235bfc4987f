#include "challengesolver.h"

#include <openssl/evp.h>

#include <charconv>
#include <memory>

namespace flashsale::bench {

bool ChallengeSolver::leadingZeroBits(const unsigned char *digest, int bits)
{
    int i = 0;
    for (; bits >= 8; bits -= 8, ++i)
        if (digest[i] != 0)
            return false;
    return bits == 0 || (digest[i] >> (8 - bits)) == 0;
}

std::uint64_t ChallengeSolver::solve(const std::string &challenge, int bits)
{
    // The prefix is hashed once; each candidate continues from a copy of that state.
    using Context = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
    Context prefix(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    Context candidate(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_DigestInit_ex(prefix.get(), EVP_sha256(), nullptr);
    EVP_DigestUpdate(prefix.get(), challenge.data(), challenge.size());
    EVP_DigestUpdate(prefix.get(), ":", 1);
    unsigned char digest[EVP_MAX_MD_SIZE];
    char digits[24];
    for (std::uint64_t nonce = 0;; ++nonce) {
        const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, nonce);
        (void)ec;
        EVP_MD_CTX_copy_ex(candidate.get(), prefix.get());
        EVP_DigestUpdate(candidate.get(), digits, std::size_t(end - digits));
        unsigned int length = 0;
        EVP_DigestFinal_ex(candidate.get(), digest, &length);
        if (leadingZeroBits(digest, bits))
            return nonce;
    }
}

} // namespace flashsale::bench
