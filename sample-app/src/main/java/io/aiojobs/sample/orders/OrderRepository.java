package io.aiojobs.sample.orders;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Reads and writes orders and their notifications with Spring's {@link JdbcClient}.
 *
 * <p>This class is thread-safe: jobs on the scheduler's threads call it as freely as request
 * threads do, because it holds no request state, only the shared {@code JdbcClient}.
 */
@Repository
public class OrderRepository {

    private final JdbcClient jdbc;

    OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores a new order with status {@code NEW}.
     *
     * @param customer who placed it
     * @param item what was ordered
     * @param quantity how many
     * @param amountCents the total, in cents
     * @return the stored order
     */
    public Order insert(String customer, String item, int quantity, long amountCents) {
        Instant now = Instant.now();
        KeyHolder keys = new GeneratedKeyHolder();
        this.jdbc.sql("""
                INSERT INTO orders (customer, item, quantity, amount_cents, status, created_at)
                VALUES (?, ?, ?, ?, 'NEW', ?)""")
                .params(customer, item, quantity, amountCents, now)
                .update(keys, "id");
        long id = keys.getKeyAs(Long.class);
        return new Order(id, customer, item, quantity, amountCents, "NEW", now);
    }

    /**
     * Changes an order's status.
     *
     * @param id the order's id
     * @param status the new status
     * @return whether the order exists
     */
    public boolean updateStatus(long id, String status) {
        return this.jdbc.sql("UPDATE orders SET status = ? WHERE id = ?").params(status, id).update() == 1;
    }

    /**
     * Finds one order.
     *
     * @param id the order's id
     * @return the order, or empty when there is none with that id
     */
    public Optional<Order> find(long id) {
        return this.jdbc.sql("SELECT * FROM orders WHERE id = ?").param(id).query(Order.class).optional();
    }

    /**
     * Lists the most recent orders, newest first.
     *
     * @param max how many at most
     * @return the orders
     */
    public List<Order> recent(int max) {
        return this.jdbc.sql("SELECT * FROM orders ORDER BY id DESC LIMIT ?").param(max).query(Order.class).list();
    }

    /**
     * Records that a confirmation was sent for an order.
     *
     * @param orderId the order's id
     * @param message what was sent
     */
    public void insertNotification(long orderId, String message) {
        this.jdbc.sql("INSERT INTO notifications (order_id, message, sent_at) VALUES (?, ?, ?)")
                .params(orderId, message, Instant.now())
                .update();
    }

    /**
     * Counts the confirmations sent for an order.
     *
     * @param orderId the order's id
     * @return how many were sent
     */
    public int countNotifications(long orderId) {
        return this.jdbc.sql("SELECT COUNT(*) FROM notifications WHERE order_id = ?").param(orderId)
                .query(Integer.class).single();
    }

    /**
     * Sums paid orders per item, for the sales report.
     *
     * @return one line per item, best-selling first
     */
    public List<SalesLine> salesByItem() {
        return this.jdbc.sql("""
                SELECT item, SUM(quantity) AS quantity, SUM(amount_cents) AS amount_cents
                FROM orders WHERE status = 'PAID' GROUP BY item ORDER BY amount_cents DESC""")
                .query(SalesLine.class).list();
    }

    /**
     * One line of the sales report.
     *
     * @param item the item
     * @param quantity how many were sold
     * @param amountCents for how much, in cents
     */
    public record SalesLine(String item, long quantity, long amountCents) {
    }
}
