// no-qt-in-remote: Qt in the client of easel-server.
#include <string>
#include <QNetworkAccessManager>
