#pragma once

#include <QColor>
#include <QString>

namespace flashsale::console {

/// The colour of a buy outcome in every chart: good news green, the limiters' pushback in
/// yellow and orange (far enough apart to tell "too frequent" from "rate limited"), refusals
/// in reds and greys.
QColor outcomeColour(const QString &outcome);
/// "Too frequent" from "too_frequent".
QString outcomeLabel(const QString &outcome);
/// Distinct hues for products, in a fixed order so a product keeps its colour.
QColor productColour(int index);

} // namespace flashsale::console
