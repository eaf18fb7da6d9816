// The GUI executable may use widgets.
#include <QApplication>
