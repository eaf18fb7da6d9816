// no-qt-in-cli: Qt in the studio's client of easel-server, plain C++ like the CLI.
#include <string>
#include <QNetworkAccessManager>
