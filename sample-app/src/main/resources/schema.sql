-- The orders service's schema; Spring Boot runs it at start-up on the embedded H2 database.
CREATE TABLE IF NOT EXISTS orders (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    customer     VARCHAR(200) NOT NULL,
    item         VARCHAR(200) NOT NULL,
    quantity     INT          NOT NULL,
    amount_cents BIGINT       NOT NULL,
    status       VARCHAR(20)  NOT NULL,
    created_at   TIMESTAMP    NOT NULL
);

-- Confirmation messages "sent" by the fire-and-forget notification job.
CREATE TABLE IF NOT EXISTS notifications (
    id       BIGINT AUTO_INCREMENT PRIMARY KEY,
    order_id BIGINT       NOT NULL,
    message  VARCHAR(500) NOT NULL,
    sent_at  TIMESTAMP    NOT NULL
);
