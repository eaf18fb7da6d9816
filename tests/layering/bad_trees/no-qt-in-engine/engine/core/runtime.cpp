// no-qt-in-engine: a Qt module header in the engine.
#include <QtCore/QThread>
