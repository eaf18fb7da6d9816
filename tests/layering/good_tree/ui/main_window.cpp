// The public engine surface, widgets and Qt are all allowed in ui/.
#include "ui/main_window.h"
#include "engine/api/engine.h"
#include "engine/catalog/database.h"
#include "engine/service/generation_service.h"
#include "app/settings.h"
#include <QWidget>
#include <QtWidgets/QMainWindow>
