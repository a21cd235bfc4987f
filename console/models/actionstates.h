#pragma once

#include "adminapi/adminclient.h"
#include "salestate.h"

#include <optional>

namespace flashsale::console {

/// Which of the window's actions apply, from the connection and the highlighted product
/// (none: no row highlighted). Product actions act on the highlighted row only, so without
/// one they are off; export of all products is always there.
struct ActionStates
{
    bool refresh = false; ///< lists again, or retries now while unreachable
    bool newProduct = false;
    bool siteSwitch = false; ///< trip and reset the site
    bool edit = false;
    bool schedule = false;
    bool topUp = false; ///< not for a draft: there is no sale to add to yet
    bool rate = false;
    bool productSwitch = false; ///< trip and reset the product
    bool exportSelected = false; ///< works offline too, on what was last received
};

/// \a canRetry: a connection is wanted (refresh retries it).
ActionStates actionStates(adminapi::AdminClient::State state, bool canRetry,
                          std::optional<SaleState> selected);

} // namespace flashsale::console
