// Errors carry a code, a message for people and the file they are about.

#include <QtTest>

#include "engine/api/error.h"

using namespace easel::api;

class TestError : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void whatNamesFileAndProblem()
    {
        const Error e(ErrorCode::CorruptFile, "header length beyond end of file", "/m/x.safetensors");
        QCOMPARE(std::string(e.what()), std::string("/m/x.safetensors: header length beyond end of file"));
        QCOMPARE(e.code(), ErrorCode::CorruptFile);
        QCOMPARE(std::string(errorCodeName(e.code())), std::string("corrupt_file"));
    }

    void noPathNoPrefix()
    {
        const Error e(ErrorCode::Cancelled, "cancelled by the user");
        QCOMPARE(std::string(e.what()), std::string("cancelled by the user"));
    }
};

QTEST_GUILESS_MAIN(TestError)
#include "test_error.moc"
