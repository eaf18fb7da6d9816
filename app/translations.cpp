#include "app/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace easel::app {
namespace {

struct Installed {
    QTranslator* easel = nullptr;
    QTranslator* qtBase = nullptr;   ///< Qt's own strings (dialog buttons)
    QString language = QStringLiteral("en");
};

Installed& installed()
{
    static Installed state;
    return state;
}

void remove(QTranslator*& translator)
{
    if (!translator)
        return;
    QCoreApplication::removeTranslator(translator);
    delete translator;
    translator = nullptr;
}

} // namespace

QStringList Translations::available() { return {QStringLiteral("zh_CN")}; }

bool Translations::apply(const QString& requested)
{
    Installed& state = installed();
    remove(state.easel);
    remove(state.qtBase);
    state.language = QStringLiteral("en");

    const QString language = requested.isEmpty() ? QLocale::system().name() : requested;
    if (language == QLatin1String("en") || language.startsWith(QLatin1String("en_")))
        return true;
    auto* easel = new QTranslator(QCoreApplication::instance());
    if (!easel->load(QStringLiteral("easel_") + language, QStringLiteral(":/i18n"))) {
        delete easel;
        return requested.isEmpty(); // an unsupported system language is not an error
    }
    auto* qtBase = new QTranslator(QCoreApplication::instance());
    if (qtBase->load(QStringLiteral("qtbase_") + language, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qtBase);
        state.qtBase = qtBase;
    } else {
        delete qtBase;
    }
    QCoreApplication::installTranslator(easel);
    state.easel = easel;
    state.language = language;
    return true;
}

QString Translations::current() { return installed().language; }

} // namespace easel::app
