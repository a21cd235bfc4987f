#include "rediscategory.h"

namespace flashsale::redis {
Q_LOGGING_CATEGORY(lcRedis, "flashsale.redis")
} // namespace flashsale::redis
