#pragma once

#include <QLoggingCategory>

namespace flashsale::redis {
Q_DECLARE_LOGGING_CATEGORY(lcRedis)
} // namespace flashsale::redis
