// widgets-in-ui-only: a widget in the Qt adapter (Qt Core/Gui only there).
#include <QAbstractItemModel>
#include <QWidget>
