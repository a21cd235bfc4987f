#include "actionstates.h"

namespace flashsale::console {

ActionStates actionStates(adminapi::AdminClient::State state, bool canRetry,
                          std::optional<SaleState> selected)
{
    const bool connected = state == adminapi::AdminClient::State::Connected;
    ActionStates a;
    a.refresh = connected || canRetry;
    a.newProduct = connected;
    a.siteSwitch = connected;
    const bool product = connected && selected.has_value();
    a.edit = product;
    a.schedule = product;
    a.topUp = product && *selected != SaleState::Draft;
    a.rate = product;
    a.productSwitch = product;
    a.exportSelected = selected.has_value();
    return a;
}

} // namespace flashsale::console
