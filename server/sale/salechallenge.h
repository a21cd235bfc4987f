#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace flashsale::sale {

/// A proof-of-work challenge as handed to a shopper.
struct IssuedChallenge
{
    QString challenge; ///< opaque, signed: user, goods, difficulty, expiry and a random nonce
    int bits = 0; ///< leading zero bits SHA-256(challenge + ":" + nonce) must have
    qint64 expiresAtMs = 0; ///< server clock, ms since the epoch
};

/// What a presented solution is worth.
enum class ChallengeVerdict {
    Solved, ///< signed by us, for this user and product, unexpired, and the work is done
    Failed, ///< forged, another user's or product's, too easy, expired, or a wrong nonce
};

/// The stateless proof-of-work gate in front of a sale's secret path (README, Architecture: the
/// buy pipeline). A challenge carries its own terms and an HMAC-SHA256 over them, so any
/// instance holding the same key can check it and nothing is stored until it is solved;
/// single use is the caller's part (SaleScripts::claimChallenge).
class ChallengeSigner
{
public:
    /// Signs with \a key (every API instance must use the same); challenges live
    /// \a lifetimeMs.
    explicit ChallengeSigner(QByteArray key, qint64 lifetimeMs = 120'000);

    /// A fresh challenge of \a bits (1-24) for \a userId buying \a goodsId.
    IssuedChallenge issue(qint64 userId, qint64 goodsId, int bits, qint64 nowMs) const;

    /// Checks \a challenge and \a nonce (decimal, as the client found it) for \a userId
    /// buying \a goodsId, which currently needs \a requiredBits. On Solved, \a expiresAtMs
    /// (when given) receives the challenge's expiry, for the single-use record.
    ChallengeVerdict verify(QStringView challenge, QStringView nonce, qint64 userId, qint64 goodsId,
                            int requiredBits, qint64 nowMs, qint64 *expiresAtMs = nullptr) const;

    /// True when \a digest starts with \a bits zero bits.
    static bool hasLeadingZeroBits(const QByteArray &digest, int bits);

    /// The highest difficulty a sale may ask (about 16 million hashes on average).
    static constexpr int maxBits = 24;

private:
    QByteArray mac(const QByteArray &terms) const;

    QByteArray m_key; ///< HMAC key
    qint64 m_lifetimeMs = 120'000; ///< how long an issued challenge may be solved and used
};

} // namespace flashsale::sale
