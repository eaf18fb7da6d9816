// The checkpoint/VAE list model: roles, lookup by what infotexts and requests name, loaded marker,
// all under QAbstractItemModelTester.

#include <QtTest>
#include <QAbstractItemModelTester>

#include "app/model_list_model.h"

using easel::app::ModelEntry;
using easel::app::ModelListModel;

class TestModelListModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rolesAndLookup()
    {
        ModelListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEntries({{"v1-5-pruned-emaonly", "/m/v1-5-pruned-emaonly.safetensors", "SD1", "6ce0161689", false},
                          {"sd_xl_base_1.0", "/m/sdxl/sd_xl_base_1.0.safetensors", "SDXL", "31e35c80fc", false}});
        QCOMPARE(model.rowCount(), 2);
        const QModelIndex xl = model.index(1);
        QCOMPARE(xl.data(ModelListModel::NameRole).toString(), QStringLiteral("sd_xl_base_1.0"));
        QCOMPARE(xl.data(ModelListModel::FamilyRole).toString(), QStringLiteral("SDXL"));
        QVERIFY(xl.data(Qt::DisplayRole).toString().contains(QStringLiteral("SDXL")));

        QCOMPARE(model.findModel("/m/sdxl/sd_xl_base_1.0.safetensors"), 1);
        QCOMPARE(model.findModel("SD_XL_BASE_1.0"), 1);
        QCOMPARE(model.findModel("v1-5-pruned-emaonly.ckpt"), 0);
        QCOMPARE(model.findModel("6ce0161689"), 0);
        QCOMPARE(model.findModel("old name [6ce01616]"), 0);
        QCOMPARE(model.findModel("missing"), -1);
        QCOMPARE(model.findModel(""), -1);
    }

    void loadedMarkerChangesData()
    {
        ModelListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEntries({{"a", "/a", "SD1", {}, false}, {"b", "/b", "SDXL", {}, false}});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setLoadedPath("/b");
        QCOMPARE(changed.count(), 1);
        QVERIFY(model.index(1).data(ModelListModel::LoadedRole).toBool());
        QVERIFY(model.index(1).data(Qt::FontRole).value<QFont>().bold());
        model.setLoadedPath("/a");
        QCOMPARE(changed.count(), 3);
        QVERIFY(!model.index(1).data(ModelListModel::LoadedRole).toBool());
        model.setEntries({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestModelListModel)
#include "test_model_list_model.moc"
