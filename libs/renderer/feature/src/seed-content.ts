import type { Condition } from './domain/condition';
import type { BrandVoice } from './email-scope';
import type { BlockSnapshots } from './template-compiler';

/**
 * The content every renderer database starts with (seeded by the ModularTemplates migration):
 * one brand, the reusable blocks of a commerce email, the abandoned-cart layout, and three
 * example content rules. Operators change all of it through the admin API.
 *
 * What blocks can use (see email-scope.ts): first_name, last_name, greeting, time_of_day,
 * engagement (high|medium|low|unknown), cart, cart_url, recommendations, purchase_history,
 * traits, segments, brand.{name,tone,formality,sign_off,website_url}, unsubscribe_url, data.
 * Output is HTML-escaped; only `| raw` opts out. The `money` filter prints two decimals.
 */
export const SEED_BRAND: BrandVoice = {
  key: 'kairos',
  name: 'Kairos Shop',
  tone: 'friendly',
  formality: 'casual',
  signOff: 'Cheers, the Kairos Shop team',
  websiteUrl: 'https://shop.kairos.example',
};

export const SEED_BLOCKS: Record<
  string,
  { description: string; required: boolean; fallback: string; variants: Record<string, string> }
> = {
  header: {
    description:
      'Greeting by the local time of day (timezone from the hot profile); "Dear …" for a formal brand.',
    required: true,
    fallback:
      '<mj-section background-color="#ffffff" padding="24px 0 8px"><mj-column><mj-text font-size="18px" font-weight="bold">Hello!</mj-text></mj-column></mj-section>',
    variants: {
      default:
        '<mj-section background-color="#ffffff" padding="24px 0 8px"><mj-column><mj-text font-size="18px" font-weight="bold">{% if brand.formality == "formal" %}Dear {{ first_name | default: "customer" }},{% else %}{{ greeting }}, {{ first_name | default: "there" }}!{% endif %}</mj-text></mj-column></mj-section>',
    },
  },
  'offer-banner': {
    description:
      'Offer banner chosen by content rules (exclusive offer, welcome discount, camping gear); none by default.',
    required: false,
    fallback: '',
    variants: {
      default: '',
      'exclusive-offer':
        '<mj-section background-color="#1d3557"><mj-column><mj-text color="#ffffff" align="center" font-weight="bold">Exclusive for our most engaged readers: 15% off with code INSIDER15</mj-text></mj-column></mj-section>',
      'welcome-discount':
        '<mj-section background-color="#2a9d8f"><mj-column><mj-text color="#ffffff" align="center" font-weight="bold">Welcome aboard! Take 10% off your first order with code WELCOME10</mj-text></mj-column></mj-section>',
      'camping-gear':
        '<mj-section background-color="#606c38"><mj-column><mj-text color="#ffffff" align="center" font-weight="bold">Gold member perk: 10% off camping gear this week</mj-text></mj-column></mj-section>',
    },
  },
  'cart-items': {
    description: 'The items left in the cart (from the message request), up to 20.',
    required: true,
    fallback:
      '<mj-section background-color="#ffffff"><mj-column><mj-text>Your cart is saved and waiting for you.</mj-text></mj-column></mj-section>',
    variants: {
      default:
        '<mj-section background-color="#ffffff"><mj-column><mj-text>{% if brand.formality == "formal" %}You left the following items in your cart:{% else %}You left these in your cart:{% endif %}</mj-text><mj-table>{% for item in cart limit: 20 %}<tr><td style="padding:4px 0">{{ item.quantity }} &times; {{ item.name }}</td><td style="padding:4px 0" align="right">{% if item.price %}{{ item.price | money }}{% endif %}</td></tr>{% endfor %}</mj-table></mj-column></mj-section>',
    },
  },
  cta: {
    description:
      'Call to action; its strength follows engagement (traits.openRate7d: high ≥ 50 %, low < 20 %).',
    required: true,
    fallback:
      '<mj-section background-color="#ffffff"><mj-column><mj-button href="{{ cart_url }}" background-color="#457b9d">View your cart</mj-button></mj-column></mj-section>',
    variants: {
      default:
        '<mj-section background-color="#ffffff"><mj-column><mj-button href="{{ cart_url }}" background-color="#e63946" font-size="16px">{% case engagement %}{% when "high" %}Complete your order now{% when "low" %}Take another look when you have a moment{% else %}Return to your cart{% endcase %}</mj-button></mj-column></mj-section>',
    },
  },
  recommendations: {
    description:
      'Recommended products (hot store top-N, minus what is in the cart) as a 2-column grid or a 4-across carousel; heading follows purchase history.',
    required: false,
    fallback: '',
    variants: {
      default:
        '<mj-raw>{% if recommendations.size > 0 %}</mj-raw><mj-section background-color="#ffffff"><mj-column><mj-text font-size="16px" font-weight="bold">{% if purchase_history contains "Smartphone" %}Latest Smartphone Deals!{% elsif purchase_history contains "Electronics" %}Browse Our Latest Electronics{% else %}You might also like{% endif %}</mj-text><mj-table>{% tablerow r in recommendations cols: 2 limit: 4 %}<a href="{{ r.url }}" style="color:#1d3557;text-decoration:none">{% if r.image_url %}<img src="{{ r.image_url }}" alt="{{ r.name }}" width="120" style="display:block;border:0" />{% endif %}{{ r.name }}</a>{% if r.reason != "" %}<div style="color:#6c757d;font-size:11px">{{ r.reason }}</div>{% endif %}{% endtablerow %}</mj-table></mj-column></mj-section><mj-raw>{% endif %}</mj-raw>',
      carousel:
        '<mj-raw>{% if recommendations.size > 0 %}</mj-raw><mj-section background-color="#ffffff"><mj-column><mj-text font-size="16px" font-weight="bold">Picked for you</mj-text><mj-table>{% tablerow r in recommendations cols: 4 limit: 4 %}<a href="{{ r.url }}" style="color:#1d3557;font-size:12px;text-decoration:none">{% if r.image_url %}<img src="{{ r.image_url }}" alt="{{ r.name }}" width="100" style="display:block;border:0" />{% endif %}{{ r.name }}</a>{% endtablerow %}</mj-table></mj-column></mj-section><mj-raw>{% endif %}</mj-raw>',
    },
  },
  footer: {
    description:
      'Sign-off in the brand voice and the unsubscribe link (required by the quality gate).',
    required: true,
    fallback:
      '<mj-section><mj-column><mj-text font-size="12px" color="#777777"><a href="{{ unsubscribe_url }}" style="color:#777777">Unsubscribe</a></mj-text></mj-column></mj-section>',
    variants: {
      default:
        '<mj-section padding="16px 0"><mj-column><mj-text font-size="14px" color="#333333">{{ brand.sign_off }}</mj-text><mj-text font-size="12px" color="#777777">You receive this email because you shop at {{ brand.name }}. Don\'t want these emails? <a href="{{ unsubscribe_url }}" style="color:#777777">Unsubscribe</a>.</mj-text></mj-column></mj-section>',
    },
  },
};

export const SEED_LAYOUT = `<mjml>
  <mj-head>
    <mj-title>{{ brand.name }}</mj-title>
    <mj-preview>Your cart is waiting for you</mj-preview>
    <mj-attributes>
      <mj-all font-family="Arial, Helvetica, sans-serif" />
      <mj-text font-size="15px" line-height="1.5" color="#222222" />
    </mj-attributes>
  </mj-head>
  <mj-body width="600px" background-color="#f4f4f4">
    <mj-slot name="header" />
    <mj-slot name="offer-banner" />
    <mj-slot name="cart-items" />
    <mj-slot name="cta" />
    <mj-slot name="recommendations" />
    <mj-slot name="footer" />
  </mj-body>
</mjml>`;

export const SEED_TEMPLATE = {
  name: 'abandoned-cart',
  subject: '{{ first_name | default: "there" }}, you left something in your cart',
  layout: SEED_LAYOUT,
  brand: SEED_BRAND.key,
};

/** The blocks as a template version snapshots them. */
export function seedBlockSnapshots(): BlockSnapshots {
  return Object.fromEntries(
    Object.entries(SEED_BLOCKS).map(([key, b]) => [
      key,
      { required: b.required, fallback: b.fallback, variants: { ...b.variants } },
    ]),
  );
}

export const SEED_RULES: {
  name: string;
  block: string;
  variant: string;
  priority: number;
  description: string;
  condition: Condition;
}[] = [
  {
    name: 'gold-outdoor-camping',
    block: 'offer-banner',
    variant: 'camping-gear',
    priority: 10,
    description: 'Gold tier with an Outdoor purchase in the last 30 days: 10 % off camping gear.',
    condition: {
      all: [
        { field: 'traits.loyaltyTier', op: 'eq', value: 'Gold' },
        {
          any: [
            { field: 'segments', op: 'contains', value: 'recent-outdoor-buyers' },
            { field: 'traits.lastOutdoorPurchaseAt', op: 'within_days', value: 30 },
          ],
        },
      ],
    },
  },
  {
    name: 'engaged-exclusive-offer',
    block: 'offer-banner',
    variant: 'exclusive-offer',
    priority: 20,
    description: 'Engaged readers (open rate over 50 % in 7 days) get the exclusive offer.',
    condition: { field: 'traits.openRate7d', op: 'gt', value: 0.5 },
  },
  {
    name: 'new-subscriber-welcome',
    block: 'offer-banner',
    variant: 'welcome-discount',
    priority: 30,
    description: 'Subscribers of the last 30 days get the welcome discount.',
    condition: { field: 'traits.daysSinceSignup', op: 'lte', value: 30 },
  },
];
