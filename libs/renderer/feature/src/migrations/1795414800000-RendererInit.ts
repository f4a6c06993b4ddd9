import { outboxTablesDown, outboxTablesUp, qualifiedTable, schemaOf } from '@kairos/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The first approved version of the abandoned-cart email (Liquid; HTML output is escaped). */
export const ABANDONED_CART_TEMPLATE = {
  subject: '{{ first_name | default: "there" }}, you left something in your cart',
  html: `<!doctype html>
<html>
  <body style="font-family: Arial, sans-serif; color: #222;">
    <p>Hi {{ first_name | default: "there" }},</p>
    <p>You left these in your cart:</p>
    <table cellpadding="4">
      {% for item in cart %}<tr><td>{{ item.name }}</td><td>&times; {{ item.quantity }}</td><td>{% if item.price %}{{ item.price }}{% endif %}</td></tr>
      {% endfor %}
    </table>
    {% if recommendations.size > 0 %}<p>You might also like:</p>
    <ul>
      {% for r in recommendations %}<li>{{ r.name | default: r.productId }}</li>
      {% endfor %}
    </ul>{% endif %}
    <p style="font-size: 12px; color: #777;">Don't want these emails? <a href="{{ unsubscribe_url }}">Unsubscribe</a>.</p>
  </body>
</html>
`,
  text: `Hi {{ first_name | default: "there" }},

You left these in your cart:
{% for item in cart %}- {{ item.quantity }} x {{ item.name }}{% if item.price %} ({{ item.price }}){% endif %}
{% endfor %}{% if recommendations.size > 0 %}
You might also like:
{% for r in recommendations %}- {{ r.name | default: r.productId }}
{% endfor %}{% endif %}
Unsubscribe: {{ unsubscribe_url }}
`,
};

/** Deliveries (the send ledger), versioned templates seeded with abandoned-cart, outbox/inbox. */
export class RendererInit1795414800000 implements MigrationInterface {
  name = 'RendererInit1795414800000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    await outboxTablesUp(q, schema);
    const deliveries = qualifiedTable(schema, 'deliveries');
    const templates = qualifiedTable(schema, 'templates');

    await q.query(`
      CREATE TABLE ${deliveries} (
        id              uuid        PRIMARY KEY,
        request_id      uuid        NOT NULL,
        idempotency_key text        NOT NULL,
        profile_id      uuid        NOT NULL,
        trigger         text        NOT NULL,
        template        text        NOT NULL,
        status          text        NOT NULL CHECK (status IN ('sending', 'sent', 'held', 'failed')),
        reason          text        NULL,
        retriable       boolean     NOT NULL DEFAULT false,
        message_id      text        NULL,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        -- At most one delivery, so at most one email, per idempotency key.
        CONSTRAINT "deliveries_idempotency_key_uq" UNIQUE (idempotency_key)
      )`);
    await q.query(
      `CREATE INDEX "deliveries_profile_idx" ON ${deliveries} (profile_id, created_at)`,
    );
    // Deliveries needing a human: held, or stuck in 'sending'.
    await q.query(
      `CREATE INDEX "deliveries_attention_idx" ON ${deliveries} (updated_at) WHERE status IN ('sending', 'held')`,
    );

    await q.query(`
      CREATE TABLE ${templates} (
        name       text        NOT NULL,
        version    integer     NOT NULL CHECK (version > 0),
        subject    text        NOT NULL,
        html       text        NOT NULL,
        text       text        NOT NULL,
        approved   boolean     NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, version)
      )`);
    await q.query(
      `INSERT INTO ${templates} (name, version, subject, html, text, approved) VALUES ($1, 1, $2, $3, $4, true)`,
      [
        'abandoned-cart',
        ABANDONED_CART_TEMPLATE.subject,
        ABANDONED_CART_TEMPLATE.html,
        ABANDONED_CART_TEMPLATE.text,
      ],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'templates')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'deliveries')}`);
    await outboxTablesDown(q, schema);
  }
}
