CREATE TABLE line_item (
    order_id INTEGER NOT NULL,
    position SMALLINT NOT NULL,
    quantity INTEGER,
    CONSTRAINT pk_line_item PRIMARY KEY (order_id, position),
    CONSTRAINT fk_line_item_order FOREIGN KEY (order_id) REFERENCES purchase (id) ON DELETE CASCADE,
    CONSTRAINT ck_line_item_quantity CHECK (quantity > 0)
);
