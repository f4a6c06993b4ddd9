import { addLine, cartFromProducts, cartLineFromProperties, removeLine } from './cart';

const shoe = { productId: 'p1', name: 'Shoe', price: 50, quantity: 1 };
const sock = { productId: 'p2', name: 'Sock', price: 5, quantity: 2 };

describe(cartLineFromProperties.name, () => {
  it('reads Segment e-commerce properties', () => {
    expect(
      cartLineFromProperties({
        product_id: 'p1',
        name: 'Shoe',
        price: 49.9,
        quantity: 2,
        image_url: 'https://x/i.png',
      }),
    ).toEqual({
      productId: 'p1',
      name: 'Shoe',
      price: 49.9,
      quantity: 2,
      imageUrl: 'https://x/i.png',
    });
  });

  it('defaults quantity to 1, the name to the id and an unknown price to null', () => {
    expect(cartLineFromProperties({ product_id: 42 })).toEqual({
      productId: '42',
      name: '42',
      price: null,
      quantity: 1,
    });
  });

  it('ignores a non-positive or fractional quantity', () => {
    expect(cartLineFromProperties({ product_id: 'p', quantity: 0 })?.quantity).toBe(1);
    expect(cartLineFromProperties({ product_id: 'p', quantity: 1.5 })?.quantity).toBe(1);
  });

  it('gives nothing for a product without an id', () => {
    expect(cartLineFromProperties({ name: 'Mystery' })).toBeUndefined();
  });
});

describe(addLine.name, () => {
  it('appends a new product', () => {
    expect(addLine([shoe], sock)).toEqual([shoe, sock]);
  });

  it('raises the quantity of a product already in the cart', () => {
    expect(addLine([shoe, sock], { ...shoe, price: 45 })).toEqual([
      { ...shoe, price: 45, quantity: 2 },
      sock,
    ]);
  });

  it('does not mutate its input', () => {
    const cart = [shoe];
    addLine(cart, shoe);
    expect(cart).toEqual([shoe]);
  });
});

describe(removeLine.name, () => {
  it('removes the whole line when no quantity is given', () => {
    expect(removeLine([shoe, sock], 'p2')).toEqual([shoe]);
  });

  it('removes some units', () => {
    expect(removeLine([shoe, sock], 'p2', 1)).toEqual([shoe, { ...sock, quantity: 1 }]);
  });

  it('drops a line whose quantity reaches zero', () => {
    expect(removeLine([sock], 'p2', 5)).toEqual([]);
  });

  it('leaves the cart alone for a product not in it', () => {
    expect(removeLine([shoe], 'nope')).toEqual([shoe]);
  });
});

describe(cartFromProducts.name, () => {
  it('builds the cart from a products array, merging duplicates and skipping junk', () => {
    expect(
      cartFromProducts({
        products: [
          { product_id: 'p1', name: 'Shoe', price: 50 },
          'junk',
          { name: 'no id' },
          { product_id: 'p1', name: 'Shoe', price: 50 },
        ],
      }),
    ).toEqual([{ ...shoe, quantity: 2 }]);
  });

  it('says nothing when there is no products array', () => {
    expect(cartFromProducts({})).toBeUndefined();
  });
});
