CREATE TABLE "order" (
    "select" INTEGER,
    "CamelCase" INTEGER,
    "two words" INTEGER
);
