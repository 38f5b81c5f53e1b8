BEGIN;

-- Running downgrade fc0005 -> fc0004

