// no-qt-in-cli: Qt in the command-line front end.
#include <string>
#include <QCoreApplication>
