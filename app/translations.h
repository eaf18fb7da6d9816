#pragma once
/// The application's translators: switch the UI language at run time. Installing or removing a
/// translator sends every widget a LanguageChange event, and widgets retranslate themselves.
/// The compiled catalogues are embedded under :/i18n (easel_<language>.qm). GUI thread.

#include <QString>
#include <QStringList>

namespace easel::app {

class Translations {
public:
    /// Languages with a catalogue, besides the English source: {"zh_CN"}.
    static QStringList available();
    /// "" = the system locale, "en" = the English source text, or one of available(). Returns false
    /// (and leaves English in place) when no catalogue matches.
    static bool apply(const QString& language);
    /// The language applied last ("en" when none).
    static QString current();
};

} // namespace easel::app
